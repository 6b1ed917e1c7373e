// Staff list cases: a page at a time, most urgent first (priority, then nearest deadline), read from the
// byTeamStatus index (without a team, every team's keys) — never a scan. Without a status filter every
// active status is read and the partitions are merged by urgency; the cursor holds the position reached
// in each of them.
import type { CaseStatus, Team } from '#domain/case-model';
import { ValidationFailed } from '#domain/errors';
import { assertMayDo, type StaffMember, seesContactDetails } from '#domain/staff-permissions';
import { caseSummary } from './agent-views.ts';
import type { Dependencies } from './ports.ts';

/** The statuses an agent works on; received cases are still in intake, resolved and closed ones are done. */
export const activeStatuses: readonly CaseStatus[] = ['open', 'in_progress', 'awaiting_customer', 'appealed'];

export interface ListCasesRequest {
  status?: CaseStatus;
  team?: Team;
  breached: boolean;
  limit: number;
  cursor?: string;
}

/** Per partition: the urgency key of the last case returned from it, `start`, or `done`. */
type Positions = Partial<Record<CaseStatus, string>>;
const start = 'start';
const done = 'done';

interface Cursor {
  v: 1;
  filter: string;
  positions: Positions;
}

export async function listCases(request: ListCasesRequest, staff: StaffMember, deps: Dependencies) {
  assertMayDo(staff, 'list_cases');
  const statuses = request.status ? [request.status] : activeStatuses;
  const filter = filterKey(request);
  const positions: Positions = request.cursor
    ? decodeCursor(request.cursor, filter).positions
    : Object.fromEntries(statuses.map((status) => [status, start]));

  const partitions = await Promise.all(
    statuses
      .filter((status) => positions[status] !== done)
      .map(async (status) => {
        const position = positions[status] ?? start;
        const page = await deps.caseIndex.listCasesByUrgency({
          status,
          team: request.team,
          breachedOnly: request.breached,
          limit: request.limit,
          startAfter: position === start ? undefined : position,
        });
        return { status, ...page };
      }),
  );

  const merged = partitions
    .flatMap((partition) => partition.cases.map((supportCase) => ({ status: partition.status, supportCase })))
    .sort((a, b) => a.supportCase.urgencyKey.localeCompare(b.supportCase.urgencyKey))
    .slice(0, request.limit);

  const next: Positions = { ...positions };
  for (const partition of partitions) {
    const taken = merged.filter((row) => row.status === partition.status);
    const last = taken.at(-1);
    if (partition.exhausted && taken.length === partition.cases.length) next[partition.status] = done;
    else if (last) next[partition.status] = last.supportCase.urgencyKey;
  }
  const more = statuses.some((status) => next[status] !== done);
  return {
    // Auditors read subjects with personal data inside masked, as they read the case.
    cases: merged.map((row) => caseSummary(row.supportCase, { masked: !seesContactDetails(staff) })),
    ...(more ? { nextCursor: encodeCursor({ v: 1, filter, positions: next }) } : {}),
  };
}

/** A cursor belongs to the filters it was made with; reusing it with others would skip or repeat cases. */
function filterKey(request: ListCasesRequest): string {
  return [request.status ?? '*', request.team ?? '*', request.breached ? 'breached' : '*'].join('|');
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

const urgencyKeyPattern = /^\d#[^#]+#CS\d{10,13}[A-Z]{2}$/;

function decodeCursor(text: string, filter: string): Cursor {
  const invalid = (message: string) =>
    new ValidationFailed('Query is invalid', [{ path: 'cursor', message }]);
  let cursor: Cursor;
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
  } catch {
    throw invalid('Not a cursor from this list');
  }
  const positions = cursor && typeof cursor === 'object' ? cursor.positions : undefined;
  if (cursor?.v !== 1 || !positions || typeof positions !== 'object')
    throw invalid('Not a cursor from this list');
  if (cursor.filter !== filter) throw invalid('The cursor was made with other filters');
  for (const [status, position] of Object.entries(positions)) {
    const known = (activeStatuses as readonly string[]).includes(status) || status === filter.split('|')[0];
    const valid = position === start || position === done || urgencyKeyPattern.test(String(position));
    if (!known || !valid) throw invalid('Not a cursor from this list');
  }
  return cursor;
}
