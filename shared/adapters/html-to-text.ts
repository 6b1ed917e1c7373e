// An HTML mail body as plain text, for a message that has no text part. The HTML comes from strangers, so
// this is one forward pass over it: no regular expression that could backtrack, no recursion, no tree, and
// every look-ahead either moves the position on or is bounded by a constant, so the time is linear in the
// length. Scripts, styles and comments are dropped, block elements and <br> become line breaks, a
// blockquote's lines are quoted with `> ` (as mail clients quote), entities are decoded.

/** Elements whose content is never shown as text; their content runs to the matching end tag. */
const droppedContent = new Set(['script', 'style', 'title', 'template']);
/** Elements set apart by a blank line, as a paragraph is. */
const paragraphs = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'dl',
  'table',
  'hr',
]);
/** Elements that start and end a line of their own. */
const blocks = new Set([
  'address',
  'article',
  'aside',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'div',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'li',
  'main',
  'nav',
  'section',
  'summary',
  'td',
  'th',
  'tr',
]);

const namedEntities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  shy: '',
  zwnj: '',
  zwj: '',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  deg: '°',
  times: '×',
  divide: '÷',
  plusmn: '±',
  sect: '§',
  para: '¶',
  iexcl: '¡',
  iquest: '¿',
};

/** Quote marks on a line at most: each line of a 10,000-deep blockquote must not cost 10,000 of them. */
const maxQuoteMarks = 8;

/** The longest entity looked at (`&#x10FFFF;` and every name above fit). */
const maxEntityLength = 12;

export function htmlToText(html: string): string {
  const text = new TextOutput();
  let position = 0;
  while (position < html.length) {
    const tagStart = nextTagStart(html, position);
    if (tagStart > position) text.write(decodeEntities(html.slice(position, tagStart)));
    if (tagStart >= html.length) break;
    position = readMarkup(html, tagStart, text);
  }
  return text.toString();
}

/** The index of the next `<` that opens markup (a tag, an end tag, a comment), or the length. */
function nextTagStart(html: string, from: number): number {
  let index = html.indexOf('<', from);
  while (index >= 0) {
    const next = html.charCodeAt(index + 1);
    if (isAsciiLetter(next) || next === 0x2f /* / */ || next === 0x21 /* ! */ || next === 0x3f /* ? */) {
      return index;
    }
    index = html.indexOf('<', index + 1);
  }
  return html.length;
}

/** Reads the markup at `start` (a `<`), tells `text` what it means, and returns where the text goes on. */
function readMarkup(html: string, start: number, text: TextOutput): number {
  if (html.startsWith('<!--', start)) return endOf(html, '-->', start + 4);
  const closing = html.charCodeAt(start + 1) === 0x2f;
  const nameStart = start + (closing ? 2 : 1);
  if (!isAsciiLetter(html.charCodeAt(nameStart))) return endOf(html, '>', nameStart); // <!DOCTYPE>, <?xml?>, </ >
  let nameEnd = nameStart;
  while (nameEnd < html.length && isNameChar(html.charCodeAt(nameEnd))) nameEnd += 1;
  const name = html.slice(nameStart, Math.min(nameEnd, nameStart + 16)).toLowerCase();
  const after = endOfTag(html, nameEnd);
  if (!closing && droppedContent.has(name)) return endOfElement(html, name, after);
  text.element(name, closing);
  return after;
}

/** The index after the `>` that ends a tag whose attributes start at `from`; quoted values may hold `>`. */
function endOfTag(html: string, from: number): number {
  let index = from;
  while (index < html.length) {
    const code = html.charCodeAt(index);
    if (code === 0x3e /* > */) return index + 1;
    if (code === 0x22 /* " */ || code === 0x27 /* ' */) {
      const close = html.indexOf(code === 0x22 ? '"' : "'", index + 1);
      if (close < 0) return html.length;
      index = close + 1;
    } else {
      index += 1;
    }
  }
  return html.length;
}

/** The index after the end tag `</name …>` at or after `from`, or the length when there is none. */
function endOfElement(html: string, name: string, from: number): number {
  let index = html.indexOf('</', from);
  while (index >= 0) {
    const nameEnd = index + 2 + name.length;
    if (html.slice(index + 2, nameEnd).toLowerCase() === name && !isNameChar(html.charCodeAt(nameEnd))) {
      return endOfTag(html, nameEnd);
    }
    index = html.indexOf('</', index + 2);
  }
  return html.length;
}

function endOf(html: string, terminator: string, from: number): number {
  const index = html.indexOf(terminator, from);
  return index < 0 ? html.length : index + terminator.length;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isNameChar(code: number): boolean {
  return isAsciiLetter(code) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x3a;
}

function isHtmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x0c;
}

/** `&amp;`, `&#233;`, `&#xE9;` and the names above decoded; anything else is left as written. */
export function decodeEntities(text: string): string {
  let ampersand = text.indexOf('&');
  if (ampersand < 0) return text;
  const parts: string[] = [];
  let copied = 0;
  while (ampersand >= 0) {
    // Looked for within the longest entity only: a search to the end would make `&&&…` quadratic.
    const semicolon = text.slice(ampersand + 1, ampersand + maxEntityLength + 1).indexOf(';') + ampersand + 1;
    const decoded = semicolon > ampersand + 1 ? entityValue(text.slice(ampersand + 1, semicolon)) : undefined;
    if (decoded === undefined) {
      ampersand = text.indexOf('&', ampersand + 1);
      continue;
    }
    parts.push(text.slice(copied, ampersand), decoded);
    copied = semicolon + 1;
    ampersand = text.indexOf('&', copied);
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

function entityValue(body: string): string | undefined {
  if (body.charCodeAt(0) !== 0x23 /* # */) {
    return Object.hasOwn(namedEntities, body) ? namedEntities[body] : undefined;
  }
  const hex = body[1] === 'x' || body[1] === 'X';
  const digits = body.slice(hex ? 2 : 1);
  if (digits === '' || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) return undefined;
  const codePoint = Number.parseInt(digits, hex ? 16 : 10);
  const valid = codePoint > 0 && codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
  return valid ? String.fromCodePoint(codePoint) : '\ufffd';
}

/**
 * The text as it is written: runs of white space become one space (except in <pre>), line breaks wait
 * until more text comes (so there are none at the start or end, and at most two blank lines in a row),
 * and each line inside a blockquote starts with `> `.
 */
class TextOutput {
  private readonly parts: string[] = [];
  private pendingBreaks = 0;
  private pendingSpace = false;
  private quoteDepth = 0;
  private preDepth = 0;

  element(name: string, closing: boolean): void {
    if (name === 'br') {
      this.pendingBreaks += 1;
      this.pendingSpace = false;
      return;
    }
    if (paragraphs.has(name)) this.lineBreak(2);
    else if (blocks.has(name)) this.lineBreak(1);
    else return;
    if (name === 'blockquote') this.quoteDepth = Math.max(0, this.quoteDepth + (closing ? -1 : 1));
    if (name === 'pre') this.preDepth = Math.max(0, this.preDepth + (closing ? -1 : 1));
    if (name === 'li' && !closing) {
      this.word('*');
      this.pendingSpace = true;
    }
  }

  write(text: string): void {
    if (this.preDepth > 0) {
      this.writePreformatted(text);
      return;
    }
    let index = 0;
    while (index < text.length) {
      if (isHtmlSpace(text.charCodeAt(index))) {
        this.pendingSpace = true;
        index += 1;
        continue;
      }
      let end = index + 1;
      while (end < text.length && !isHtmlSpace(text.charCodeAt(end))) end += 1;
      this.word(text.slice(index, end));
      index = end;
    }
  }

  toString(): string {
    return this.parts.join('');
  }

  private writePreformatted(text: string): void {
    let lineStart = 0;
    while (lineStart <= text.length) {
      const newline = text.indexOf('\n', lineStart);
      const lineEnd = newline < 0 ? text.length : newline;
      const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
      if (line) {
        this.pendingSpace = false;
        this.word(line);
      }
      if (newline < 0) break;
      this.pendingBreaks += 1;
      lineStart = newline + 1;
    }
  }

  private lineBreak(count: number): void {
    this.pendingBreaks = Math.max(this.pendingBreaks, count);
    this.pendingSpace = false;
  }

  private word(word: string): void {
    const quoteMarks = '> '.repeat(Math.min(this.quoteDepth, maxQuoteMarks));
    if (this.parts.length === 0) {
      this.parts.push(quoteMarks);
    } else if (this.pendingBreaks > 0) {
      this.parts.push('\n'.repeat(Math.min(this.pendingBreaks, 3)), quoteMarks);
    } else if (this.pendingSpace) {
      this.parts.push(' ');
    }
    this.pendingBreaks = 0;
    this.pendingSpace = false;
    this.parts.push(word);
  }
}
