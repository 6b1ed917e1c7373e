// The one way this project's code builds zod schemas: zod's functional API (`zod/mini`), with only the
// English messages. The classic `import * as z from 'zod'` builds every schema's methods and carries the
// whole chaining API (about 60 KB of every bundle); mini is the same core (same parsing, same issues),
// with checks and wrappers as functions: `z.optional(s)`, `s.check(z.minLength(1), z.meta({...}))`.
// Classic registers English messages and the container memoizer when its first schema is built; mini
// registers neither, so this module does it once, before any schema that imports it is built. One
// classic import reachable from a function would bring all of classic back: functions, events and
// shared code import zod from here only (infra tools and tests that build their own schemas may not).

import { clone, config, type core, globalRegistry, memoizer } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
config({ memoizer: memoizer() });

export * from 'zod/mini';

/**
 * Classic's `schema.meta(metadata)`: a copy of `schema` that carries `metadata` in the global registry
 * (where zod-openapi reads ids, examples and descriptions). Not `schema.check(z.meta(...))`, whose check
 * registers every later copy of the schema too (`z.extend`, a further `.check`), so one id would name
 * several schemas in the OpenAPI document.
 */
export function withMeta<S extends core.$ZodType>(schema: S, metadata: core.GlobalMeta): S {
  const copy = clone(schema);
  globalRegistry.add(copy, metadata);
  return copy;
}
