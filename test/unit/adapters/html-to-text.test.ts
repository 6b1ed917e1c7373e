import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from '#adapters/html-to-text';

describe('an HTML mail body as text', () => {
  it('drops scripts, styles, the title and comments, whatever case their tags are in', () => {
    const html =
      '<html><head><TITLE>Offer</TITLE><style>p { color: red }</style></head><body>' +
      '<!-- tracking --><p>Where is my parcel?</p><SCRIPT type="x">document.write("</b>")</SCRIPT >' +
      '</body></html>';
    expect(htmlToText(html)).toBe('Where is my parcel?');
  });

  it('puts blocks on lines of their own, paragraphs apart, and a <br> where it stands', () => {
    const html =
      '<div>Waybill <b>SF1234567890123</b></div><div>Shanghai</div><p>First<br>second<br><br>fourth</p>' +
      '<ul><li>box</li><li>tape</li></ul><table><tr><td>a</td><td>b</td></tr></table>';
    expect(htmlToText(html)).toBe(
      'Waybill SF1234567890123\nShanghai\n\nFirst\nsecond\n\nfourth\n\n* box\n* tape\n\na\nb',
    );
  });

  it('quotes a blockquote with "> " and keeps <pre> as written', () => {
    const html =
      '<p>Thanks</p><blockquote><p>Your case</p><p>was received</p></blockquote><pre>  a\n    b</pre>';
    expect(htmlToText(html)).toBe('Thanks\n\n> Your case\n\n> was received\n\n  a\n    b');
  });

  it('decodes named and numeric entities, and leaves anything else as written', () => {
    expect(decodeEntities('a &amp; b &lt;c&gt; &quot;d&quot; &#20013;&#x6587; &#128512;')).toBe(
      'a & b <c> "d" 中文 😀',
    );
    expect(decodeEntities('&#xD800; &#0; &bogus; &amp a&b ;&;')).toBe('\ufffd \ufffd &bogus; &amp a&b ;&;');
  });

  it('reads a "<" that starts no tag as text', () => {
    expect(htmlToText('1 < 2 and 5 <3 <')).toBe('1 < 2 and 5 <3 <');
  });

  it('collapses any run of white space in text without markup into one space', () => {
    const words = fc.array(fc.constantFrom('a', 'b', '中', '>', '.', ' ', '\t', '\n', '\r\n'));
    fc.assert(
      fc.property(words, (parts) => {
        const text = parts.join('');
        expect(htmlToText(text)).toBe(text.split(/\s+/).filter(Boolean).join(' '));
      }),
    );
  });

  // Input from strangers: each of these is quadratic or worse for a careless scanner (a search to the end
  // from every `&` or `<`, a quote mark per nesting level on every line). 2 MB of each runs in a few
  // hundred ms when linear; a quadratic pass would take minutes.
  it.each([
    ['unclosed tags', '', '<a'],
    ['ampersands without a semicolon', '', '&#'],
    ['unclosed comments', '', '<!--'],
    ['unclosed attribute quotes', '', '<a "'],
    ['a script whose end tag never comes', '<script>', '</scrip'],
    ['nested blockquotes', '', '<blockquote>x'],
    ['line breaks', '', '<br>'],
    ['white space', '', ' \t\r\n'],
  ])('stays linear for 2 MB of %s', (_, prefix, unit) => {
    const html = prefix + unit.repeat(Math.ceil(2_000_000 / unit.length));
    const started = performance.now();
    const text = htmlToText(html);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(text.length).toBeLessThan(html.length * 2);
  });
});
