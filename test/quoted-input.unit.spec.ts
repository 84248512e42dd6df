import { cutText, listQuoted, QUOTED_INPUT, quoteInput } from '../src/common/quoted-input';

describe('input text in reports', () => {
  it('quotes a short text whole, escaping only its quotes and backslashes', () => {
    expect(quoteInput('3.45')).toBe('"3.45"');
    expect(quoteInput('Flat Bar 1/2" x \\')).toBe('"Flat Bar 1/2\\" x \\\\"');
    expect(quoteInput('x'.repeat(80))).toBe(`"${'x'.repeat(80)}"`);
    expect(cutText('x'.repeat(80))).toBe('x'.repeat(80));
  });

  it('cuts a long text after 80 characters and says how many it left out', () => {
    expect(quoteInput('x'.repeat(81))).toBe(`"${'x'.repeat(80)}…" (1 more character)`);
    expect(quoteInput('y'.repeat(1314))).toBe(`"${'y'.repeat(80)}…" (1,234 more characters)`);
    expect(cutText('y'.repeat(1314))).toBe(`${'y'.repeat(80)}… (1,234 more characters)`);
    expect(cutText('z'.repeat(20), 5)).toBe('zzzzz… (15 more characters)');
  });

  it('shows a control character once, as its picture or its code point, never as an escape', () => {
    expect(quoteInput('\u0001'.repeat(5_000_000))).toBe(`"${'\u2401'.repeat(80)}…" (4,999,920 more characters)`);
    expect(cutText('a\u0000b\tc\u001fd\u007fe')).toBe('a\u2400b\u2409c\u241fd\u2421e');
    expect(cutText('\u0085\u202egnp.exe')).toBe('[U+0085][U+202E]gnp.exe');
    // One escaping layer: JSON writes each picture as it is.
    expect(JSON.stringify(quoteInput('\u0001\u0002'))).toBe('"\\"\u2401\u2402\\""');
  });

  it('never splits a surrogate pair', () => {
    const text = `${'x'.repeat(79)}😀${'y'.repeat(10)}`;
    expect(cutText(text)).toBe(`${'x'.repeat(79)}… (12 more characters)`);
  });

  it('lists the first texts quoted and counts the others', () => {
    expect(listQuoted(['a', 'b'])).toBe('"a", "b"');
    expect(listQuoted(['a', 'b', 'c', 'd'], 2)).toBe('"a", "b" and 2 more');
  });

  it('finds what it quoted, its note included, in a sentence', () => {
    const sentence = `got ${quoteInput('say "hi"')} and ${quoteInput('q'.repeat(100))}, not "plain"`;
    expect(sentence.replace(QUOTED_INPUT, '"…"')).toBe('got "…" and "…", not "…"');
  });
});
