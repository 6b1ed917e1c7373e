// The customer directory: one small item per keyed contact hash holding the tier a manager set, and one
// item per change beside it (tier, previous tier, who, when) as its audit trail. No clear contact detail is
// stored, and nothing of it rides on the case item: a case copies the tier when it is registered.
import { type CustomerTier, customerTiers } from '#domain/case-model';
import type { CustomerDirectory } from '../use-cases/ports.ts';
import { customerTierChangeKey, customerTierKey } from './case-keys.ts';
import type { CaseTableClient } from './case-table-client.ts';

const rank = (tier: CustomerTier) => customerTiers.indexOf(tier);

function asTier(value: unknown): CustomerTier | null {
  return customerTiers.find((tier) => tier === value) ?? null;
}

export function dynamoCustomerDirectory(table: CaseTableClient): CustomerDirectory {
  const { tableName } = table;
  const tiersOf = async (contactHashes: readonly string[]) => {
    const hashes = [...new Set(contactHashes)];
    if (hashes.length === 0) return new Map<string, CustomerTier>();
    const items = await table.batchGet(hashes.map(customerTierKey));
    return new Map(
      items.flatMap((item) => {
        const tier = asTier(item.tier);
        return tier ? [[String(item.contactHash), tier] as const] : [];
      }),
    );
  };
  return {
    async tierOf(contactHashes) {
      const held = [...(await tiersOf(contactHashes)).values()];
      return held.reduce<CustomerTier>((best, tier) => (rank(tier) > rank(best) ? tier : best), 'standard');
    },

    async setTier(contactHashes, change) {
      const hashes = [...new Set(contactHashes)];
      const previous = await tiersOf(hashes);
      await table.transact(
        hashes.flatMap((contactHash) => [
          {
            Put: {
              TableName: tableName,
              Item: { ...customerTierKey(contactHash), entity: 'customerTier', contactHash, ...change },
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: {
                ...customerTierChangeKey(contactHash, change.at, change.by),
                entity: 'customerTierChange',
                ...change,
                previous: previous.get(contactHash) ?? 'standard',
              },
            },
          },
        ]),
      );
    },
  };
}
