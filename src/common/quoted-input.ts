export const QUOTED_INPUT_MAX_LENGTH = 80;

// C0 controls and DEL have pictures (U+2400-U+2421); the others have none and are named by their code point.
// eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

function pictureOf(character: string): string {
  const code = character.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `[U+${code.toString(16).toUpperCase().padStart(4, '0')}]`;
}

/** Lengths are UTF-16 code units, as String.length counts them; a surrogate pair is never split. */
function cut(text: string, maxLength: number): { shown: string; leftOut: number } {
  if (text.length <= maxLength) return { shown: text, leftOut: 0 };
  const end = /[\uD800-\uDBFF]/.test(text[maxLength - 1]) ? maxLength - 1 : maxLength;
  return { shown: text.slice(0, end), leftOut: text.length - end };
}

function visible(text: string): string {
  return text.replace(CONTROL_CHARACTER, pictureOf);
}

function leftOutNote(leftOut: number): string {
  return leftOut === 0 ? '' : ` (${leftOut.toLocaleString('en-US')} more ${leftOut === 1 ? 'character' : 'characters'})`;
}

/** Control characters shown as pictures (U+2401 for U+0001), so that JSON does not escape them again. */
export function cutText(text: string, maxLength = QUOTED_INPUT_MAX_LENGTH): string {
  const { shown, leftOut } = cut(text, maxLength);
  return `${visible(shown)}${leftOut > 0 ? '…' : ''}${leftOutNote(leftOut)}`;
}

/** Quotes and backslashes are escaped, so a quoted value can be told from the words around it. */
export function quoteInput(text: string, maxLength = QUOTED_INPUT_MAX_LENGTH): string {
  const { shown, leftOut } = cut(text, maxLength);
  return `"${visible(shown).replace(/["\\]/g, '\\$&')}${leftOut > 0 ? '…' : ''}"${leftOutNote(leftOut)}`;
}

export const QUOTED_INPUT = /"(?:[^"\\]|\\.)*"(?: \(\d[\d,]* more characters?\))?/g;

/** `"a", "b", "c" and 7 more`. */
export function listQuoted(texts: readonly string[], maxItems = 10, quote: (text: string) => string = (text) => quoteInput(text)): string {
  const listed = texts.slice(0, maxItems).map(quote).join(', ');
  return texts.length > maxItems ? `${listed} and ${texts.length - maxItems} more` : listed;
}
