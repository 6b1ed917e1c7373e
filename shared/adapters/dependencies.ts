// Every port at once, for tests, the soak tool and the sandbox. A deployed function is wired with the port
// groups its handler names (shared/adapters/wiring/), so its bundle carries no adapter it does not use.
import { resetAwsClients } from './aws-clients.ts';
import { resetKeyring } from './keyring.ts';
import { caseTable } from './wiring/case-table.ts';
import { inboundMailbox } from './wiring/inbound-mailbox.ts';
import { keyring } from './wiring/keyring.ts';
import { mailer } from './wiring/mailer.ts';
import { objectStore } from './wiring/object-store.ts';
import { policy } from './wiring/policy.ts';
import { queues } from './wiring/queues.ts';
import { sms } from './wiring/sms.ts';
import { resetWiredDependencies, wireDependencies } from './wiring/wire.ts';

export const dependencies = wireDependencies([
  caseTable,
  keyring,
  queues,
  mailer,
  sms,
  policy,
  objectStore,
  inboundMailbox,
]);

/** Tests and the sandbox rebuild every function's dependencies after changing the environment. */
export function resetDependencies(): void {
  resetWiredDependencies();
  resetKeyring();
  resetAwsClients();
}
