// The sandbox's stand-in for Cognito: a local signing key in .sandbox/, tokens with the claims a
// Cognito access/ID token carries, and verification that checks what API Gateway's JWT authorizer
// checks (signature, issuer, audience, expiry), against the sandbox clock.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';

export const sandboxIssuer = 'https://parcel-care.sandbox.local/issuer';
export const sandboxAudience = 'parcel-care-agent-console';
const algorithm = 'ES256';

export interface LocalIssuer {
  sign(
    claims: {
      sub: string;
      roles: string[];
      email?: string;
      /** Cognito's `email_verified`: true unless a test asks for an unverified address. */
      emailVerified?: boolean;
      /** The teams the member works in (`custom:team`, as the staff pool's attribute). */
      teams?: string[];
    },
    now: Date,
    validForSeconds?: number,
  ): Promise<string>;
  verify(token: string, now: Date): Promise<JWTPayload>;
}

export async function localIssuer(sandboxDir: string): Promise<LocalIssuer> {
  const keyFile = path.join(sandboxDir, 'jwt-signing-key.json');
  if (!existsSync(keyFile)) {
    mkdirSync(sandboxDir, { recursive: true });
    const { privateKey } = await generateKeyPair(algorithm, { extractable: true });
    writeFileSync(keyFile, JSON.stringify(await exportJWK(privateKey)), { mode: 0o600 });
  }
  const privateJwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  const { d: _private, ...publicJwk } = privateJwk;
  const privateKey = await importJWK(privateJwk, algorithm);
  const publicKey = await importJWK(publicJwk, algorithm);
  return {
    sign: (claims, now, validForSeconds = 12 * 3600) => {
      const issuedAt = Math.floor(now.getTime() / 1000);
      return new SignJWT({
        'cognito:groups': claims.roles,
        'cognito:username': claims.sub,
        ...(claims.email ? { email: claims.email } : {}),
        email_verified: claims.emailVerified ?? true,
        ...(claims.teams && claims.teams.length > 0 ? { 'custom:team': claims.teams.join(',') } : {}),
        token_use: 'id',
      })
        .setProtectedHeader({ alg: algorithm, kid: 'sandbox' })
        .setSubject(claims.sub)
        .setIssuer(sandboxIssuer)
        .setAudience(sandboxAudience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + validForSeconds)
        .sign(privateKey);
    },
    verify: async (token, now) => {
      const { payload } = await jwtVerify(token, publicKey, {
        issuer: sandboxIssuer,
        audience: sandboxAudience,
        algorithms: [algorithm],
        currentDate: now,
      });
      return payload;
    },
  };
}

/** API Gateway hands claims to the function as strings; arrays arrive flattened as "[a b]". */
export function claimsAsApiGatewayPassesThem(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? `[${value.join(' ')}]`
        : typeof value === 'string'
          ? value
          : JSON.stringify(value),
    ]),
  );
}
