const QUOTE = 34;
const BACKSLASH = 92;

/** JSON.parse silently resolves a repeated key to the last; one pass over the text, keys decoded only with an escape. */
export function repeatedKeysByRecord(text: string): Map<number, string> {
  const found = new Map<number, string>();
  const objects: (Set<string> | null)[] = [];
  let topIsArray = false;
  let record = 0;
  let expectKey = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      const end = closingQuote(text, index);
      const object = objects[objects.length - 1];
      if (expectKey && object) {
        const raw = text.slice(index + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (object.has(key) && !found.has(record)) found.set(record, key);
        object.add(key);
        expectKey = false;
      }
      index = end;
    } else if (code === 123 /* { */) {
      objects.push(new Set());
      expectKey = true;
    } else if (code === 91 /* [ */) {
      if (objects.length === 0) topIsArray = true;
      objects.push(null);
    } else if (code === 125 /* } */ || code === 93 /* ] */) {
      objects.pop();
    } else if (code === 44 /* , */) {
      if (objects.length === 1 && topIsArray) record += 1;
      expectKey = objects[objects.length - 1] != null;
    }
  }
  return found;
}

function closingQuote(text: string, open: number): number {
  for (let from = open + 1; ;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}
