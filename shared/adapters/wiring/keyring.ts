// The keyed hashes of contacts and case tokens; the key comes from Secrets Manager (HMAC_SECRET_ARN)
// in AWS, or from HMAC_SECRET in the sandbox and tests.
import { loadKeyring } from '../keyring.ts';
import type { PortGroup, PortsOf } from './wire.ts';

export const keyring: PortGroup<PortsOf<'keyring'>> = {
  name: 'keyring',
  build: async (config) => ({ keyring: await loadKeyring(config) }),
};
