// Valid values for a JSON Schema (the subset zod 4 emits into the OpenAPI document), as fast-check
// arbitraries. Mutations of these values live in `body-mutations.ts`.
import fc from 'fast-check';
import type { JsonSchema } from './api-document.ts';

const typeOf = (schema: JsonSchema): string | undefined =>
  Array.isArray(schema.type) ? schema.type[0] : schema.type;

/** Free text in the languages the product serves, plus plain ASCII. */
function humanString(minLength: number, maxLength: number): fc.Arbitrary<string> {
  const cap = Math.min(maxLength, minLength + 40);
  const word = fc.constantFrom(
    '快递',
    '包裹',
    '破损',
    '延误',
    'parcel',
    'late',
    'damaged',
    ' ',
    '，',
    '。',
    '张三',
  );
  return fc
    .oneof(
      fc.string({ minLength: Math.max(minLength, 1), maxLength: Math.max(cap, 1), unit: 'grapheme-ascii' }),
      fc.array(word, { minLength: 1, maxLength: 12 }).map((words) => words.join('')),
    )
    .map((text) => text.trim() || 'x')
    .map((text) => (text.length < minLength ? text.padEnd(minLength, 'x') : text.slice(0, maxLength)));
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? 200;
  if (schema.format === 'email') {
    return fc
      .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/), fc.constantFrom('example.com', 'example.cn'))
      .map(([local, domain]) => `fuzz-${local}@${domain}`);
  }
  if (schema.format === 'date-time') {
    return fc
      .date({
        min: new Date('2025-06-01T00:00:00Z'),
        max: new Date('2027-06-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString());
  }
  if (schema.format === 'date') {
    return fc
      .date({
        min: new Date('2025-01-01T00:00:00Z'),
        max: new Date('2027-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString().slice(0, 10));
  }
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    return fc.stringMatching(pattern).filter((text) => text.length >= minLength && text.length <= maxLength);
  }
  return humanString(minLength, maxLength);
}

function numberFor(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? schema.exclusiveMinimum ?? (integer ? -1000 : -1e6);
  const max = schema.maximum ?? schema.exclusiveMaximum ?? (integer ? 1000 : 1e6);
  if (integer) return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
  if (schema.multipleOf) {
    const step = schema.multipleOf;
    return fc
      .integer({ min: Math.ceil(min / step), max: Math.floor(Math.min(max, 100_000) / step) })
      .map((n) => Number((n * step).toFixed(10)));
  }
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** An arbitrary of values that satisfy `schema`; `$ref`s are resolved by `resolve`. */
export function validValue(
  schema: JsonSchema,
  resolve: (s: JsonSchema) => JsonSchema,
): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((alt) => validValue(alt, resolve)));
  if (s.allOf?.length) return validValue(s.allOf[0]!, resolve);
  switch (typeOf(s)) {
    case 'object': {
      const properties = s.properties ?? {};
      const model = Object.fromEntries(
        Object.entries(properties).map(([name, property]) => [name, validValue(property, resolve)]),
      );
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((key) => key in model) });
    }
    case 'array':
      return fc.array(s.items ? validValue(s.items, resolve) : fc.jsonValue(), {
        minLength: s.minItems ?? 0,
        maxLength: Math.min(s.maxItems ?? 5, 5),
      });
    case 'string':
      return stringFor(s);
    case 'integer':
      return numberFor(s, true);
    case 'number':
      return numberFor(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Every property path of an object schema (`customer.email`), with its resolved schema. */
export function propertyPaths(
  schema: JsonSchema,
  resolve: (s: JsonSchema) => JsonSchema,
  prefix: string[] = [],
): Array<{ path: string[]; schema: JsonSchema; required: boolean }> {
  const s = resolve(schema);
  if (typeOf(s) !== 'object' || !s.properties) return [];
  return Object.entries(s.properties).flatMap(([name, property]) => {
    const resolved = resolve(property);
    const path = [...prefix, name];
    return [
      { path, schema: resolved, required: (s.required ?? []).includes(name) },
      ...propertyPaths(resolved, resolve, path),
    ];
  });
}
