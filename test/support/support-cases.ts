// Domain-level factories: a case as intake leaves it (classified, routed, clocks running), built by the
// same domain functions the product uses, so tests and the benchmark store realistic items.
import { randomInt } from 'node:crypto';
import { chinaBusinessCalendar } from '#domain/business-calendar';
import { acceptReceivedCase } from '#domain/case/intake';
import { type CaseSubmission, registerCase } from '#domain/case/registration';
import { pauseClock } from '#domain/sla-clock';
import type { SupportCase } from '#domain/support-case';

const calendar = chinaBusinessCalendar();
const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A random id in the product's format (CS + digits + two letters), unique enough per test. */
export function aCaseId(): string {
  const digits = String(randomInt(10 ** 10)).padStart(10, '0');
  return `CS${digits}${letters[randomInt(letters.length)]}${letters[randomInt(letters.length)]}`;
}

/** A complaint about a rude courier: high priority, team `branch`, first response due in 2 hours. */
export function aComplaintSubmission(overrides: Partial<CaseSubmission> = {}): CaseSubmission {
  return {
    type: 'complaint',
    channel: 'web',
    subject: '快递员态度恶劣',
    description: '派送时快递员对我大声辱骂，还把包裹扔在门口。',
    trackingNumber: 'SF1234567890123',
    customer: {
      name: '张三',
      email: 'zhangsan@example.com',
      type: 'individual',
      locale: 'zh-CN',
    },
    ...overrides,
  };
}

export interface CaseOptions {
  caseId?: string;
  receivedAt?: Date;
  submission?: Partial<CaseSubmission>;
  /** Hashed phone and email, as the keyring gives them; none unless asked for. */
  contactHashes?: string[];
}

/** A case as submitted at `receivedAt`, before intake: status received, no clocks yet. */
export function aReceivedCase(options: CaseOptions = {}): SupportCase {
  return registerCase(aComplaintSubmission(options.submission), {
    caseId: options.caseId ?? aCaseId(),
    now: options.receivedAt ?? new Date(),
    accessTokenHash: 'token-hash',
    tokenNonce: 'nonce',
    contactHashes: options.contactHashes ?? [],
    sla: { calendar },
  }).supportCase;
}

/** What intake decides for a case received at `receivedAt`: open, clocks running, acknowledgements due. */
export function anAcceptance(options: CaseOptions = {}) {
  const receivedAt = options.receivedAt ?? new Date();
  const sla = { calendar };
  const supportCase = aReceivedCase({ ...options, receivedAt });
  const accepted = acceptReceivedCase(supportCase, { now: receivedAt, sla, duplicateOf: null });
  if (!accepted) throw new Error('The factory case was not accepted');
  return { received: supportCase, ...accepted };
}

/** A case accepted by intake at `receivedAt`: status open, clocks running from then. */
export function anOpenCase(options: CaseOptions = {}): SupportCase {
  return anAcceptance(options).supportCase;
}

/** Waiting for the customer since `at`: plan and resolution paused, as the status route does it. */
export function awaitingCustomer(supportCase: SupportCase, at: Date): SupportCase {
  const { plan, resolution } = supportCase.clocks;
  return {
    ...supportCase,
    status: 'awaiting_customer',
    clocks: {
      ...supportCase.clocks,
      ...(plan ? { plan: pauseClock(plan, at) } : {}),
      ...(resolution ? { resolution: pauseClock(resolution, at) } : {}),
    },
    updatedAt: at.toISOString(),
  };
}
