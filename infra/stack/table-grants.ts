// A catalogue entry's table access as IAM statements: one statement per set of key families, holding every
// action the entry asks for on exactly those families, limited by `dynamodb:LeadingKeys` to their
// partition-key prefixes; and one statement for the indexes it queries, on those indexes' ARNs only.
import type { CaseTableIndexName } from '#adapters/case-table';
import { type KeyFamily, keyFamilies } from '#adapters/key-families';
import { type TableAccess, type TableAction, tableActionIam } from '#infra/catalogue';

export type TableStatement =
  | { actions: string[]; families: KeyFamily[] }
  | { actions: string[]; indexes: CaseTableIndexName[] };

export function tableStatements(access: TableAccess): TableStatement[] {
  const byFamilies = new Map<string, { actions: Set<string>; families: KeyFamily[] }>();
  const statements: TableStatement[] = [];
  for (const [action, names] of Object.entries(access) as Array<[TableAction, readonly string[]]>) {
    if (names.length === 0) continue;
    if (action === 'queryIndex') {
      statements.push({
        actions: [tableActionIam.queryIndex],
        indexes: [...names].sort() as CaseTableIndexName[],
      });
      continue;
    }
    const families = [...new Set(names)].sort() as KeyFamily[];
    const key = families.join(',');
    const group = byFamilies.get(key) ?? { actions: new Set<string>(), families };
    group.actions.add(tableActionIam[action]);
    byFamilies.set(key, group);
  }
  for (const { actions, families } of byFamilies.values()) {
    statements.unshift({ actions: [...actions].sort(), families });
  }
  return statements;
}

/** The LeadingKeys patterns of some key families: their partition-key prefixes. */
export const leadingKeysOf = (families: readonly KeyFamily[]): string[] =>
  families.map((family) => `${keyFamilies[family]}*`);

/** Whether an access writes (and so encrypts with the table's key). */
export const tableAccessWrites = (access: TableAccess): boolean =>
  ['put', 'update', 'delete', 'batchWrite'].some(
    (action) => (access[action as TableAction]?.length ?? 0) > 0,
  );

/** A statement id from its families or indexes: `CaseTableCaseReport`, `CaseTableIndexes`. */
export function statementId(statement: TableStatement): string {
  const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
  return 'families' in statement
    ? `CaseTable${statement.families.map(pascal).join('')}`
    : `CaseTableIndexes${statement.indexes.map(pascal).join('')}`;
}
