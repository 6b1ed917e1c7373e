// A text to the carrier's number (issue 16). STOP, 退订 or TD opts the phone out (the suppression list
// every send checks); from a phone with an open case the text is a customer message on its most recent
// open case (a case waiting for the customer resumes); from any other phone it opens an inquiry.
import * as customerActions from '#domain/case/customer-actions';
import { canApply } from '#domain/case-status';
import { clipText, type InboundSms, isOptOut, localeOf, subjectFor } from '#domain/inbound-messages';
import { mobileNumberE164 } from '#domain/phone-numbers';
import { takeLimits } from './abuse-limits.ts';
import { changeCase } from './change-case.ts';
import type { Dependencies } from './ports.ts';
import { type InboundOutcome, ignored, openCase } from './receive-email.ts';

/** How far back a phone's cases are looked up for an open one. */
const openCaseLookbackMs = 365 * 86_400_000;

export async function receiveSms(sms: InboundSms, deps: Dependencies): Promise<InboundOutcome> {
  const phone = mobileNumberE164(sms.from.trim());
  if (!phone) return ignored('sms', 'no_sender', deps);
  const phoneHash = deps.keyring.hashContact(phone);
  const now = deps.clock.now();

  if (isOptOut(sms.body)) {
    const added = await deps.contacts.suppressContact(phoneHash, {
      reason: 'opted_out',
      at: now.toISOString(),
      channel: 'sms',
    });
    deps.metrics.count('SmsOptOut', {});
    deps.logger.info('Phone opted out of SMS', { newlySuppressed: added });
    return { outcome: 'opted_out' };
  }
  if (await deps.contacts.getSuppression(phoneHash)) return ignored('sms', 'suppressed', deps);
  const body = sms.body.trim();
  if (!body) return ignored('sms', 'empty', deps);

  const caseId = await latestOpenCase(phoneHash, now, deps);
  if (caseId) {
    const spent = await takeLimits(deps, now, [
      { limit: 'source_per_minute', scope: `sms:${phoneHash}` },
      { limit: 'case_messages_per_day', scope: caseId },
    ]);
    if (spent) return ignored('sms', 'rate_limited', deps);
    await changeCase(caseId, deps, (supportCase, at) =>
      customerActions.addCustomerMessage(supportCase, {
        at,
        message: clipText(body, 5000),
        channel: 'sms',
      }),
    );
    deps.metrics.count('InboundMessage', { channel: 'sms', outcome: 'added' });
    return { outcome: 'added', caseId };
  }

  const spent = await takeLimits(deps, now, [
    { limit: 'recipient_cases_per_hour', scope: `sms:${phoneHash}` },
    { limit: 'recipient_cases_per_day', scope: `sms:${phoneHash}` },
  ]);
  if (spent) return ignored('sms', 'rate_limited', deps);
  const locale = localeOf(body);
  return openCase(
    {
      type: 'inquiry',
      channel: 'sms',
      subject: subjectFor('', clipText(body, 60), locale),
      description: clipText(body, 5000),
      customer: {
        name: locale === 'zh-CN' ? '短信客户' : 'SMS customer',
        phone,
        type: 'individual',
        locale,
      },
    },
    sms.messageId,
    `sms:${phoneHash}`,
    'sms',
    deps,
  );
}

/** The phone's most recently created case that still takes customer messages. */
async function latestOpenCase(phoneHash: string, now: Date, deps: Dependencies): Promise<string | null> {
  const since = new Date(now.getTime() - openCaseLookbackMs).toISOString();
  const refs = await deps.contacts.findCasesByContact([phoneHash], since);
  if (refs.length === 0) return null;
  const cases = await deps.cases.getCases([...new Set(refs.map((ref) => ref.caseId))]);
  const open = cases
    .filter((supportCase) => canApply(supportCase.status, 'customer_replied'))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return open[0]?.caseId ?? null;
}
