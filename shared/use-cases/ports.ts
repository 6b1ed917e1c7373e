// What the use cases need from the outside world; adapters provide it.
import type { BusinessCalendar } from '#domain/business-calendar';
import type { CompensationPolicy } from '#domain/compensation';
import type { SlaPolicy } from '#domain/sla-policy';
import type { CaseRepository } from '../adapters/case-repository.ts';
import type { Clock } from '../adapters/clock.ts';
import type { Keyring } from '../adapters/keyring.ts';
import type { Mailer } from '../adapters/mailer.ts';
import type { MetricsRecorder } from '../adapters/metrics-recorder.ts';
import type { QueuePublisher } from '../adapters/queue-publisher.ts';
import type { SmsSender } from '../adapters/sms-sender.ts';

export interface Logger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown> | Error): void;
}

export interface Dependencies {
  clock: Clock;
  calendar: BusinessCalendar;
  slaPolicy: SlaPolicy;
  repository: CaseRepository;
  keyring: Keyring;
  queues: { intake: QueuePublisher; notifications: QueuePublisher; slaWork: QueuePublisher };
  mailer: Mailer;
  sms: SmsSender;
  logger: Logger;
  /** Business metrics, e.g. SlaBreached by clock and team. */
  metrics: MetricsRecorder;
  links: { customerCaseUrl(caseId: string, token?: string): string; agentCaseUrl(caseId: string): string };
  /** Team leads who receive breach notices, by team and escalation level. */
  teamLeads: Record<string, { supervisor?: string; manager?: string }>;
  randomSuffix(): string;
  /** The carrier's compensation rules and approval limit (DOMAIN.md §6). */
  compensationPolicy: CompensationPolicy;
  /** Delay between a resolution and its satisfaction survey. */
  surveyDelayMs: number;
}
