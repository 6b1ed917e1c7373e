// Every port at once, for tests, the soak tool and the sandbox. A deployed function is wired with the port
// groups its handler names (shared/adapters/wiring/), so its bundle carries no adapter it does not use.
import { resetAwsClients } from './aws-clients.ts';
import { resetKeyring } from './keyring.ts';
import { attachmentRecords } from './wiring/attachment-records.ts';
import { attachmentSigner } from './wiring/attachment-signer.ts';
import { caseLists } from './wiring/case-lists.ts';
import { caseTable } from './wiring/case-table.ts';
import { contactRegistry } from './wiring/contact-registry.ts';
import { customerDirectory } from './wiring/customer-directory.ts';
import { idempotencyRecords } from './wiring/idempotency-records.ts';
import { inboundMailbox } from './wiring/inbound-mailbox.ts';
import { incidentStore } from './wiring/incident-store.ts';
import { keyring } from './wiring/keyring.ts';
import { mailer } from './wiring/mailer.ts';
import { objectStore } from './wiring/object-store.ts';
import { policy } from './wiring/policy.ts';
import { queues } from './wiring/queues.ts';
import { rateLimits } from './wiring/rate-limits.ts';
import { reportCounters } from './wiring/report-counters.ts';
import { retentionStore } from './wiring/retention-store.ts';
import { sms } from './wiring/sms.ts';
import { resetWiredDependencies, wireDependencies } from './wiring/wire.ts';

export const dependencies = wireDependencies([
  caseTable,
  contactRegistry,
  caseLists,
  reportCounters,
  idempotencyRecords,
  rateLimits,
  customerDirectory,
  retentionStore,
  attachmentRecords,
  incidentStore,
  keyring,
  queues,
  mailer,
  sms,
  policy,
  objectStore,
  attachmentSigner,
  inboundMailbox,
]);

/** Tests and the sandbox rebuild every function's dependencies after changing the environment. */
export function resetDependencies(): void {
  resetWiredDependencies();
  resetKeyring();
  resetAwsClients();
}
