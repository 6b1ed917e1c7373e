// The customer's case page (API.md "Pages"): status in words, deadlines in Beijing time, a progress line,
// the public timeline, a message, the survey, an appeal. No sign-in: the case token is the key.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CustomerCaseView } from '#events/customer-api';
import { ApiError, api } from '../common/api.ts';
import { beijingTime, type PageLocale } from '../common/time.ts';
import { AttachmentsCard } from './Attachments.tsx';
import { progressOf } from './progress.ts';
import { type CaseTexts, progressSteps, texts } from './texts.ts';

interface Props {
  caseId: string;
  token: string | null;
  openRating: boolean;
}

export function errorInWords(error: unknown, t: CaseTexts): string {
  if (!(error instanceof ApiError)) return t.errors.unknown!;
  const words = t.errors[error.code] ?? t.errors.unknown!;
  if (error.code === 'validation_error' && error.details.length > 0)
    return `${words} ${error.details.map((detail) => detail.message).join('; ')}`;
  return words;
}

function initialLocale(): PageLocale {
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function CasePage({ caseId, token, openRating }: Props) {
  const [locale, setLocale] = useState<PageLocale | null>(null);
  const [view, setView] = useState<CustomerCaseView | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const shown: PageLocale = locale ?? view?.locale ?? initialLocale();
  const t = texts[shown];

  useEffect(() => {
    document.documentElement.lang = shown;
    document.title = `${t.title} ${caseId}`;
  }, [shown, t, caseId]);

  const reload = async () => {
    if (!token) return;
    try {
      setView(
        await api<CustomerCaseView>('GET', `/cases/${encodeURIComponent(caseId)}`, { caseToken: token }),
      );
      setLoadError(null);
    } catch (error) {
      setLoadError(error);
    }
  };
  useEffect(() => {
    void reload();
  }, [caseId, token]);

  return (
    <main>
      <div class="row spread">
        <p class="muted" style="margin:0">
          Parcel Care
        </p>
        <button
          type="button"
          class="secondary"
          lang={shown === 'zh-CN' ? 'en' : 'zh-CN'}
          aria-label={t.switchLabel}
          onClick={() => setLocale(shown === 'zh-CN' ? 'en' : 'zh-CN')}
        >
          {t.switchTo}
        </button>
      </div>
      <h1>
        {t.title}
        <span class="visually-hidden"> </span>
      </h1>
      {!token && (
        <p class="alert" role="alert">
          {t.noToken}
        </p>
      )}
      {token && !view && !loadError && <p aria-live="polite">{t.loading}</p>}
      {loadError !== null && (
        <p class="alert" role="alert">
          {errorInWords(loadError, t)}
        </p>
      )}
      {view && (
        <CaseDetails
          view={view}
          token={token!}
          t={t}
          locale={shown}
          openRating={openRating}
          reload={reload}
        />
      )}
    </main>
  );
}

function CaseDetails(props: {
  view: CustomerCaseView;
  token: string;
  t: CaseTexts;
  locale: PageLocale;
  openRating: boolean;
  reload: () => Promise<void>;
}) {
  const { view, t, locale } = props;
  const current = progressOf(view);
  const currentIndex = progressSteps.indexOf(current);
  const rated = view.timeline.some((entry) => entry.kind === 'feedback');
  const mayRate = (view.status === 'resolved' || view.status === 'closed') && !rated;
  const rating = mayRate ? <RatingForm {...props} /> : null;
  return (
    <>
      <section class="card" aria-labelledby="summary-heading">
        <h2 id="summary-heading" class="visually-hidden">
          {t.caseNumber}
        </h2>
        <dl style="margin:0">
          <div class="row">
            <dt class="muted">{t.caseNumber}</dt>
            <dd style="margin:0" data-testid="case-number">
              <strong>{view.caseId}</strong>
            </dd>
          </div>
          <div class="row">
            <dt class="muted">{t.status}</dt>
            <dd style="margin:0">
              <span class="badge" data-testid="case-status">
                {t.statuses[view.status] ?? view.status}
              </span>
            </dd>
          </div>
        </dl>
        <p style="margin:0.5rem 0 0">{view.subject}</p>
        {view.linkedCaseIds && view.linkedCaseIds.length > 0 && (
          <p class="muted">
            {t.linked}: {view.linkedCaseIds.join(', ')}
          </p>
        )}
      </section>

      {props.openRating && rating}

      <section class="card" aria-labelledby="progress-heading">
        <h2 id="progress-heading">{t.progress}</h2>
        <ol class="progress">
          {progressSteps.map((step, index) => (
            <li
              key={step}
              class={index < currentIndex ? 'done' : index === currentIndex ? 'current' : ''}
              aria-current={index === currentIndex ? 'step' : undefined}
            >
              {t.steps[step]}
              {index < currentIndex && <span class="visually-hidden"> ({t.stepDone})</span>}
            </li>
          ))}
        </ol>
      </section>

      <section class="card" aria-labelledby="deadline-heading">
        <h2 id="deadline-heading">{t.deadlines}</h2>
        <dl class="deadlines">
          {Object.entries(view.deadlines).map(([name, at]) =>
            at ? (
              <div key={name}>
                <dt>{t.deadlineNames[name] ?? name}</dt>
                <dd>{beijingTime(at, locale)}</dd>
              </div>
            ) : null,
          )}
        </dl>
      </section>

      {!props.openRating && rating}
      {rated && <p class="notice">{t.alreadyRated}</p>}

      {view.status !== 'closed' && <MessageForm {...props} />}
      <AttachmentsCard view={view} token={props.token} locale={locale} reload={props.reload} />
      {view.status === 'resolved' && <AppealForm {...props} />}

      <section class="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{t.timeline}</h2>
        {view.timeline.length === 0 ? (
          <p>{t.none}</p>
        ) : (
          <ol class="timeline">
            {[...view.timeline].reverse().map((entry) => (
              <li key={`${entry.at}-${entry.kind}-${entry.message}`}>
                <time dateTime={entry.at}>{beijingTime(entry.at, locale)}</time>
                <strong>{t.kinds[entry.kind] ?? entry.kind}</strong>
                {entry.channel && (
                  <span class="channel-tag">{t.channels[entry.channel] ?? entry.channel}</span>
                )}
                <p style="margin:0.15rem 0 0;white-space:pre-wrap">{entry.message}</p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

/** Submits one action and reports its outcome in words. */
function useAction(t: CaseTexts) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      setDone(true);
    } catch (caught) {
      setError(errorInWords(caught, t));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, setDone, run };
}

function Outcome({ error, done, doneText }: { error: string | null; done: boolean; doneText: string }) {
  return (
    <div aria-live="polite">
      {error && (
        <p class="alert" role="alert">
          {error}
        </p>
      )}
      {done && !error && <p class="notice">{doneText}</p>}
    </div>
  );
}

function MessageForm({ view, token, t, reload }: Parameters<typeof CaseDetails>[0]) {
  const [message, setMessage] = useState('');
  const action = useAction(t);
  return (
    <section class="card" aria-labelledby="message-heading">
      <h2 id="message-heading">{t.addMessage}</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            await api('POST', `/cases/${view.caseId}/messages`, { caseToken: token, body: { message } });
            setMessage('');
            await reload();
          });
        }}
      >
        <label for="message">{t.messageLabel}</label>
        <textarea
          id="message"
          required
          maxLength={5000}
          value={message}
          onInput={(event) => {
            action.setDone(false);
            setMessage(event.currentTarget.value);
          }}
        />
        <p>
          <button type="submit" disabled={action.busy}>
            {t.send}
          </button>
        </p>
      </form>
      <Outcome error={action.error} done={action.done} doneText={t.sent} />
    </section>
  );
}

function RatingForm({ view, token, t, reload, openRating }: Parameters<typeof CaseDetails>[0]) {
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [nps, setNps] = useState('');
  const action = useAction(t);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (openRating) {
      heading.current?.scrollIntoView();
      heading.current?.focus();
    }
  }, [openRating]);
  return (
    <section class="card" aria-labelledby="rating-heading" id="rating">
      <h2 id="rating-heading" tabIndex={-1} ref={heading}>
        {t.rate}
      </h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (score === null) return;
          void action.run(async () => {
            await api('POST', `/cases/${view.caseId}/feedback`, {
              caseToken: token,
              body: {
                score,
                ...(comment.trim() ? { comment: comment.trim() } : {}),
                ...(nps !== '' ? { nps: Number(nps) } : {}),
              },
            });
            await reload();
          });
        }}
      >
        <fieldset class="stars">
          <legend>{t.rateQuestion}</legend>
          {[1, 2, 3, 4, 5].map((value) => (
            <label key={value} class={score !== null && value <= score ? 'lit' : ''}>
              <input
                type="radio"
                name="score"
                value={value}
                required
                checked={score === value}
                onChange={() => setScore(value)}
              />
              <span aria-hidden="true">★</span>
              <span class="visually-hidden">{t.stars(value)}</span>
            </label>
          ))}
        </fieldset>
        <label for="comment">{t.comment}</label>
        <textarea
          id="comment"
          maxLength={2000}
          value={comment}
          onInput={(e) => setComment(e.currentTarget.value)}
        />
        <label for="nps">{t.nps}</label>
        <select id="nps" value={nps} onChange={(e) => setNps(e.currentTarget.value)}>
          <option value="">{t.npsNone}</option>
          {Array.from({ length: 11 }, (_, n) => (
            <option key={n} value={String(n)}>
              {n}
            </option>
          ))}
        </select>
        <p>
          <button type="submit" disabled={action.busy || score === null}>
            {t.submitRating}
          </button>
        </p>
      </form>
      <Outcome error={action.error} done={action.done} doneText={t.rated} />
    </section>
  );
}

function AppealForm({ view, token, t, reload }: Parameters<typeof CaseDetails>[0]) {
  const [reason, setReason] = useState('');
  const action = useAction(t);
  return (
    <section class="card" aria-labelledby="appeal-heading">
      <h2 id="appeal-heading">{t.appeal}</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            await api('POST', `/cases/${view.caseId}/appeal`, { caseToken: token, body: { reason } });
            await reload();
          });
        }}
      >
        <label for="appeal-reason">{t.appealLabel}</label>
        <textarea
          id="appeal-reason"
          required
          maxLength={5000}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
        <p>
          <button type="submit" disabled={action.busy}>
            {t.submitAppeal}
          </button>
        </p>
      </form>
      <Outcome error={action.error} done={action.done} doneText={t.appealed} />
    </section>
  );
}
