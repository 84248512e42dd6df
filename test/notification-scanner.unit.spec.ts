import { NotificationScanner } from '../src/database/embedded/pglite-wire-server';

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0);
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

function notification(channel: string, payload: string): Buffer {
  const pid = Buffer.alloc(4);
  pid.writeInt32BE(42);
  return message('A', Buffer.concat([pid, Buffer.from(`${channel}\0${payload}\0`)]));
}

const first = notification('row_changes', 'users:7');
const second = notification('row_changes', 'refresh_families:*');
// A result row, a notification, the command's end, another notification and ReadyForQuery.
const stream = Buffer.concat([
  message('D', Buffer.from('a row of a result that is longer than a header')),
  first,
  message('C', Buffer.from('UPDATE 1\0')),
  second,
  message('Z', Buffer.from('I')),
]);

function scanned(chunks: Buffer[]): Buffer[] {
  const found: Buffer[] = [];
  const scanner = new NotificationScanner((notice) => found.push(notice));
  for (const chunk of chunks) scanner.scan(chunk);
  return found;
}

describe('the wire server finds the notifications in what PGlite answers', () => {
  it('whole', () => {
    expect(scanned([stream])).toEqual([first, second]);
  });

  it('cut in two anywhere', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      expect(scanned([stream.subarray(0, cut), stream.subarray(cut)])).toEqual([first, second]);
    }
  });

  it('a byte at a time', () => {
    expect(scanned([...stream].map((byte) => Buffer.from([byte])))).toEqual([first, second]);
  });
});
