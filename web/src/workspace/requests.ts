// What the workspace's forms send: the queue's query string and the compensation part of plan and resolve.

export interface Filters {
  status: string;
  team: string;
  breached: boolean;
}

export function queueQuery(filters: Filters, cursor?: string): string {
  const query = new URLSearchParams();
  if (filters.status) query.set('status', filters.status);
  if (filters.team) query.set('team', filters.team);
  if (filters.breached) query.set('breached', 'true');
  query.set('limit', '25');
  if (cursor) query.set('cursor', cursor);
  return `/agent/cases?${query}`;
}

export type CompensationMode =
  | 'none'
  | 'amount'
  | 'lost'
  | 'damaged_packaging'
  | 'damaged_contents'
  | 'delayed';

/** The compensation calculator's input: an agreed amount, or the situation the carrier's policy prices. */
export function compensationBody(mode: CompensationMode, amount: string, daysLate: string) {
  const money = amount.trim() ? { amount: Number(amount), currency: 'CNY' } : undefined;
  switch (mode) {
    case 'none':
      return {};
    case 'amount':
      return { compensation: money ?? { amount: 0, currency: 'CNY' } };
    case 'lost':
      return { situation: { kind: 'lost', ...(money ? { actualLoss: money } : {}) } };
    case 'damaged_packaging':
    case 'damaged_contents':
      return {
        situation: {
          kind: 'damaged',
          severity: mode === 'damaged_packaging' ? 'packaging' : 'contents',
          ...(money ? { assessedLoss: money } : {}),
        },
      };
    case 'delayed':
      return { situation: { kind: 'delayed', ...(daysLate.trim() ? { daysLate: Number(daysLate) } : {}) } };
  }
}
