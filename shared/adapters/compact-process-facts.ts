// The stored form of a case's process facts (README "Processes"): the return kind, problem kind, remedy and a
// force-majeure cause as one short attribute, two characters a fact ("ka,pt,rr,ff"), instead of four named
// attributes with their full values (45 B of a case item that must stay under 1 KB).
import type { ParcelReturnKind, ProblemKind, Remedy } from '#domain/processes';
import type { SupportCase } from '#domain/support-case';

type ProcessFacts = Pick<SupportCase, 'parcelReturnKind' | 'problem' | 'remedy' | 'forceMajeure'>;
type FactName = keyof ProcessFacts;

const factCodes = {
  parcelReturnKind: {
    code: 'k',
    values: { customer_return: 'c', carrier_return: 'k', system_return: 's', address_resend: 'a' },
  },
  problem: { code: 'p', values: { technical: 't', process: 'p' } },
  remedy: { code: 'r', values: { reship: 'r', replacement: 'e', resend: 's' } },
  forceMajeure: { code: 'f', values: { true: 'f' } },
} as const satisfies {
  parcelReturnKind: { code: string; values: Record<ParcelReturnKind, string> };
  problem: { code: string; values: Record<ProblemKind, string> };
  remedy: { code: string; values: Record<Remedy, string> };
  forceMajeure: { code: string; values: Record<'true', string> };
};

export const processFactsAttribute = 'pf';
export const processFactNames = Object.keys(factCodes) as FactName[];

export function encodeProcessFacts(facts: ProcessFacts): string | undefined {
  const codes = processFactNames.flatMap((name) => {
    const value = facts[name];
    if (value === undefined) return [];
    const { code, values } = factCodes[name];
    return [`${code}${(values as Record<string, string>)[String(value)]}`];
  });
  return codes.length === 0 ? undefined : codes.join(',');
}

export function decodeProcessFacts(stored: unknown): ProcessFacts {
  if (typeof stored !== 'string' || stored === '') return {};
  const facts: Record<string, unknown> = {};
  for (const pair of stored.split(',')) {
    const name = processFactNames.find((fact) => factCodes[fact].code === pair[0]);
    const entry = name && Object.entries(factCodes[name].values).find(([, code]) => code === pair[1]);
    if (!name || !entry) throw new Error(`Not a stored process fact: ${pair}`);
    facts[name] = name === 'forceMajeure' ? true : entry[0];
  }
  return facts as ProcessFacts;
}
