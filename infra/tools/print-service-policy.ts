// The service policy document (README, "Service policy"):
//   npm run -s policy > policy/service-policy.json     the defaults, spelled out
//   npm run -s policy -- --check <file>                validates a document as the functions will
//   npm run -s policy -- --schema                      its JSON Schema (draft-04, AppConfig's validator)
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { defaultServicePolicy } from '#domain/service-policy';
import { parseServicePolicyText, servicePolicySchema } from '#shared/service-policy-schema';

export function defaultPolicyDocument(): string {
  const document = {
    description:
      'Parcel Care service policy: the defaults. Edit, validate (npm run -s policy -- --check), deploy.',
    ...defaultServicePolicy,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

export function servicePolicyJsonSchema(): string {
  return JSON.stringify(z.toJSONSchema(servicePolicySchema, { io: 'input', target: 'draft-4' }));
}

function check(file: string): void {
  const parsed = parseServicePolicyText(readFileSync(file, 'utf8'));
  if (!parsed.ok) {
    process.stderr.write(`${file}: ${parsed.problems}\n`);
    process.exit(1);
  }
  const years = Object.entries(parsed.policy.calendar).map(([year, data]) => `${year} ${data.status}`);
  process.stdout.write(`${file}: valid; calendar ${years.join(', ')}\n`);
}

if (import.meta.main) {
  const checkAt = process.argv.indexOf('--check');
  if (checkAt > 0) check(process.argv[checkAt + 1] ?? 'policy/service-policy.json');
  else
    process.stdout.write(
      process.argv.includes('--schema') ? servicePolicyJsonSchema() : defaultPolicyDocument(),
    );
}
