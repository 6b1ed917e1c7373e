// What the deployment tells the pages: where the API is and how staff sign in. The sandbox serves its
// own `config.json`; in AWS the stack writes it into the bucket at deploy time.

export interface CognitoSettings {
  kind: 'cognito';
  /** The hosted UI's base URL, e.g. https://parcel-care-prod.auth.cn-north-1.amazoncognito.com */
  domain: string;
  clientId: string;
  /** Where the hosted UI sends the code back: the workspace's own URL. */
  redirectUri: string;
}

export interface SiteConfig {
  /** The API's base URL; empty when the API is on the page's own origin. */
  apiUrl: string;
  auth: CognitoSettings | { kind: 'sandbox' };
  /** The sandbox's movable clock, so countdowns agree with the server. */
  clockUrl?: string;
}

let loaded: Promise<SiteConfig> | undefined;

export function siteConfig(): Promise<SiteConfig> {
  loaded ??= fetch('/config.json', { cache: 'no-store' })
    .then((response) => (response.ok ? (response.json() as Promise<SiteConfig>) : null))
    .catch(() => null)
    .then((config) => config ?? { apiUrl: '', auth: { kind: 'sandbox' } });
  return loaded;
}
