// Mutated request bodies: a valid body with one thing wrong, or something that is no body at all.
// Each mutation names itself, so a failure says what kind of input caused it.
import fc from 'fast-check';
import type { JsonSchema } from './api-document.ts';
import { propertyPaths } from './schema-arbitrary.ts';

export interface MutatedBody {
  mutation: string;
  /** The raw bytes sent. */
  text: string;
}

/** Text people should not be able to smuggle in: bidi overrides, zero-width, lone surrogates, controls. */
export const unicodeOddities = [
  '\u202Eevil\u202C', // right-to-left override
  'a\u200Bb\u200Cc\u200Dd\u2060e\uFEFF', // zero-width characters
  '\uD800', // lone high surrogate
  '\uDC00x', // lone low surrogate
  '\u0000', // NUL
  'line\u0007bell\u001B[31mred', // control characters and an ANSI escape
  '\u2028\u2029', // JSON-legal line separators
  'e\u0301\u0301\u0301\u0301\u0301\u0301', // stacked combining marks
  '👨‍👩‍👧‍👦🏳️‍🌈', // ZWJ sequences
  '\uFFFF\uFFFE', // noncharacters
  '\u3000', // ideographic space only
  ['%s%n%x{{7*7}}$', '{7*7}<script>'].join(''), // format strings and template injection
];

/** `{"a":{"a":…}}` or `[[[…]]]`, `depth` levels deep, as JSON text. */
export function deeplyNested(depth: number, kind: 'object' | 'array'): string {
  return kind === 'object'
    ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
    : `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

function setAt(target: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...target };
  const [head, ...rest] = path;
  if (head === undefined) return copy;
  if (rest.length === 0) {
    copy[head] = value;
    return copy;
  }
  const child = copy[head];
  copy[head] = setAt(
    child && typeof child === 'object' ? (child as Record<string, unknown>) : {},
    rest,
    value,
  );
  return copy;
}

function deleteAt(target: Record<string, unknown>, path: string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...target };
  const [head, ...rest] = path;
  if (head === undefined) return copy;
  if (rest.length === 0) {
    delete copy[head];
    return copy;
  }
  const child = copy[head];
  if (child && typeof child === 'object') copy[head] = deleteAt(child as Record<string, unknown>, rest);
  return copy;
}

const wrongTypeValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(0, -1, 1e308, -0, 2 ** 53 + 1, 0.000001, 12.345),
  fc.string({ maxLength: 20 }),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.integer(), { maxLength: 3 }),
);

/** A mutation of `valid` (which satisfies `schema`). */
export function mutatedBody(
  schema: JsonSchema,
  resolve: (s: JsonSchema) => JsonSchema,
  valid: fc.Arbitrary<unknown>,
): fc.Arbitrary<MutatedBody> {
  const paths = propertyPaths(schema, resolve);
  const stringPaths = paths.filter((p) => p.schema.type === 'string' && !p.schema.enum);
  const requiredPaths = paths.filter((p) => p.required);
  const asObject = (value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const at = <T>(items: T[]) => fc.constantFrom(...(items.length > 0 ? items : [undefined]));
  const json = (mutation: string) => (value: unknown) => ({ mutation, text: JSON.stringify(value) });

  const mutations: Array<fc.Arbitrary<MutatedBody>> = [
    fc
      .tuple(valid, at(paths), wrongTypeValue)
      .map(([body, p, value]) => (p ? setAt(asObject(body), p.path, value) : value))
      .map(json('wrong-type')),
    fc
      .tuple(valid, at(requiredPaths))
      .map(([body, p]) => (p ? deleteAt(asObject(body), p.path) : {}))
      .map(json('missing-required-key')),
    fc
      .tuple(
        valid,
        fc.constantFrom('extra', '__proto__', 'constructor', 'caseId', 'status', ''),
        fc.jsonValue({ maxDepth: 2 }),
      )
      .map(([body, key, value]) => {
        const text = JSON.stringify(asObject(body));
        const extra = `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`;
        return {
          mutation: 'extra-key',
          text: text === '{}' ? `{${extra}}` : `${text.slice(0, -1)},${extra}}`,
        };
      }),
    fc
      .tuple(valid, at(stringPaths), fc.constantFrom(5_001, 20_000, 70_000))
      .map(([body, p, length]) =>
        p ? setAt(asObject(body), p.path, 'あ'.repeat(length)) : 'x'.repeat(length),
      )
      .map(json('huge-string')),
    fc
      .tuple(valid, at(stringPaths), fc.constantFrom(...unicodeOddities), fc.boolean())
      .map(([body, p, odd, alone]) => {
        if (!p) return odd;
        const current = String(path(asObject(body), p.path) ?? '');
        return setAt(asObject(body), p.path, alone ? odd : `${current}${odd}`);
      })
      .map(json('unicode-oddity')),
    fc
      .tuple(valid, fc.constantFrom(64, 1_000, 8_000), fc.constantFrom<'object' | 'array'>('object', 'array'))
      .map(([body, depth, kind]) => {
        const text = JSON.stringify(asObject(body));
        const deep = `"nested":${deeplyNested(depth, kind)}`;
        return {
          mutation: `deep-nesting-${depth}`,
          text: text === '{}' ? `{${deep}}` : `${text.slice(0, -1)},${deep}}`,
        };
      }),
    fc
      .constantFrom(8_000, 100_000)
      .map((depth) => ({ mutation: `deep-body-${depth}`, text: deeplyNested(depth, 'array') })),
    fc
      .constantFrom('[]', 'null', '"text"', '42', 'true', '{}', '[{}]')
      .map((text) => ({ mutation: 'not-an-object', text })),
    fc
      .tuple(
        valid,
        fc.constantFrom(
          'truncate',
          'trailing-comma',
          'nan',
          'bom',
          'duplicate-keys',
          'comment',
          'single-quotes',
        ),
      )
      .map(([body, how]) => {
        const text = JSON.stringify(asObject(body));
        const broken: Record<string, string> = {
          truncate: text.slice(0, Math.max(1, Math.floor(text.length / 2))),
          'trailing-comma': `${text.slice(0, -1)},}`,
          nan: `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}"n":NaN}`,
          bom: `\uFEFF${text}`,
          'duplicate-keys': text.length > 2 ? `${text.slice(0, -1)},${text.slice(1)}` : '{"a":1,"a":2}',
          comment: `/* hi */${text}`,
          'single-quotes': text.replaceAll('"', "'"),
        };
        return { mutation: `invalid-json-${how}`, text: broken[how]! };
      }),
  ];
  return fc.oneof(...mutations);
}

function path(target: Record<string, unknown>, keys: string[]): unknown {
  let value: unknown = target;
  for (const key of keys)
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}
