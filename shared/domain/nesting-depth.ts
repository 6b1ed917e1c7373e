// How deep a request body may nest. Nothing the API accepts nests deeper than a few levels; a body
// thousands of levels deep is only there to overflow something recursive (a parser, a hash, a
// logger), so it is refused before anything recursive touches it.

export const maxNestingDepth = 32;

/**
 * The deepest nesting of objects and arrays in a JSON text, read in one pass without recursion and
 * without parsing: brackets inside strings do not count. Stops counting once past `stopAfter`.
 */
export function jsonTextDepth(text: string, stopAfter = maxNestingDepth): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c /* \ */) index++;
      else if (char === 0x22 /* " */) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAfter) return deepest;
      }
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      depth--;
    }
  }
  return deepest;
}
