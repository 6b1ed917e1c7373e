// Staff sign-in. In the sandbox: pick a role and a name, and the sandbox's local issuer signs a token
// (POST /_sandbox/token). In AWS: the Cognito hosted UI, authorization code with PKCE. Either way the
// workspace holds an ID token whose `cognito:groups` carry the roles, for this tab only.
import type { StaffRole } from '#domain/staff-permissions';
import { api } from '../common/api.ts';
import type { CognitoSettings } from '../common/config.ts';

export interface StaffSession {
  token: string;
  sub: string;
  email?: string;
  roles: StaffRole[];
  /** Seconds since the epoch, from the token. */
  expiresAt: number;
}

const sessionKey = 'parcel-care.staff-session';
const pkceKey = 'parcel-care.pkce';

export function sessionFromToken(token: string): StaffSession {
  const payload = JSON.parse(
    new TextDecoder().decode(
      Uint8Array.from(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
        c.charCodeAt(0),
      ),
    ),
  ) as {
    sub: string;
    email?: string;
    exp: number;
    'cognito:groups'?: StaffRole[];
    'cognito:username'?: string;
  };
  return {
    token,
    sub: payload['cognito:username'] ?? payload.sub,
    ...(payload.email ? { email: payload.email } : {}),
    roles: payload['cognito:groups'] ?? [],
    expiresAt: payload.exp,
  };
}

export function savedSession(): StaffSession | null {
  const text = sessionStorage.getItem(sessionKey);
  if (!text) return null;
  // Expiry is the API's to judge (the sandbox's clock can move): a 401 asks for a new sign-in.
  return JSON.parse(text) as StaffSession;
}

export function keepSession(session: StaffSession | null): void {
  if (session) sessionStorage.setItem(sessionKey, JSON.stringify(session));
  else sessionStorage.removeItem(sessionKey);
}

export async function sandboxSignIn(roles: StaffRole[], sub: string, email?: string): Promise<StaffSession> {
  const { token } = await api<{ token: string }>('POST', '/_sandbox/token', {
    body: { roles, sub, ...(email ? { email } : {}) },
  });
  return sessionFromToken(token);
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** Sends the browser to the hosted UI; `returnTo` (a workspace path) is opened after sign-in. */
export async function beginCognitoSignIn(settings: CognitoSettings, returnTo: string): Promise<void> {
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(48)));
  const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64Url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  sessionStorage.setItem(pkceKey, JSON.stringify({ verifier, state, returnTo }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: settings.redirectUri,
    scope: 'openid email profile',
    state,
    code_challenge_method: 'S256',
    code_challenge: challenge,
  });
  window.location.assign(`${settings.domain}/oauth2/authorize?${query}`);
}

/** Ends the hosted UI's session too, and comes back to the workspace. */
export function cognitoSignOut(settings: CognitoSettings): void {
  const query = new URLSearchParams({ client_id: settings.clientId, logout_uri: settings.redirectUri });
  window.location.assign(`${settings.domain}/logout?${query}`);
}

/** On the way back from the hosted UI: trades the code for tokens. Null when this is no such return. */
export async function completeCognitoSignIn(
  settings: CognitoSettings,
): Promise<{ session: StaffSession; returnTo: string } | null> {
  const params = new URLSearchParams(window.location.search);
  const code = params.get('code');
  const saved = sessionStorage.getItem(pkceKey);
  if (!code || !saved) return null;
  sessionStorage.removeItem(pkceKey);
  const { verifier, state, returnTo } = JSON.parse(saved) as {
    verifier: string;
    state: string;
    returnTo: string;
  };
  if (params.get('state') !== state) throw new Error('The sign-in answer does not match this browser tab');
  const response = await fetch(`${settings.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: settings.clientId,
      code,
      redirect_uri: settings.redirectUri,
      code_verifier: verifier,
    }),
  });
  if (!response.ok) throw new Error('The sign-in could not be completed; please sign in again');
  const tokens = (await response.json()) as { id_token: string };
  return { session: sessionFromToken(tokens.id_token), returnTo };
}
