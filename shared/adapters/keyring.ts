// Keyed hashes for contact look-ups and case tokens. The key lives in Secrets Manager in AWS
// and in HMAC_SECRET in the sandbox; it is fetched once per cold start.
import { createHmac, randomBytes } from 'node:crypto';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../config.ts';
import type { Keyring } from '../use-cases/ports.ts';
import { secretsClient } from './aws-clients.ts';

export function keyringFromSecret(secret: string): Keyring {
  const contactKey = createHmac('sha256', secret).update('contact-hash-v1').digest();
  const tokenKey = createHmac('sha256', secret).update('case-token-v1').digest();
  return {
    hashContact: (contact) =>
      createHmac('sha256', contactKey).update(contact.trim().toLowerCase()).digest('base64url'),
    newTokenNonce: () => randomBytes(16).toString('base64url'),
    caseToken: (caseId, nonce) =>
      createHmac('sha256', tokenKey).update(`${caseId}\n${nonce}`).digest('base64url'),
  };
}

let loading: Promise<Keyring> | undefined;

export function loadKeyring(config: Pick<Config, 'HMAC_SECRET' | 'HMAC_SECRET_ARN'>): Promise<Keyring> {
  loading ??= (async () => {
    if (config.HMAC_SECRET) return keyringFromSecret(config.HMAC_SECRET);
    const result = await secretsClient().send(
      new GetSecretValueCommand({ SecretId: config.HMAC_SECRET_ARN }),
    );
    if (!result.SecretString) throw new Error('The HMAC secret has no string value');
    return keyringFromSecret(result.SecretString);
  })();
  return loading;
}
