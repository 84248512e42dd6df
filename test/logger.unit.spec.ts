import { Writable } from 'node:stream';

import { createLogger, requestIdOf } from '../src/logging/logger';

/** A logger writing JSON lines into an array, as a collector would read them. */
async function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: await createLogger({ logLevel: 'log', logFormat: 'json' }, destination), lines };
}

describe('the logger', () => {
  it('redacts credentials at the top of a line and one level down, and keeps everything else', async () => {
    const { logger, lines } = await capturedLogger();
    logger.info(
      {
        authorization: 'Bearer abc',
        password: 'p1',
        token: 't1',
        access_token: 'a1',
        refresh_token: 'r1',
        body: { password: 'p2', current_password: 'p3', new_password: 'p4', refresh_token: 'r2', email: 'owner@example.com' },
        headers: { authorization: 'Bearer def', cookie: 'session=1', 'user-agent': 'curl' },
      },
      'a line',
    );
    expect(lines).toHaveLength(1);
    const text = JSON.stringify(lines[0]);
    for (const secret of ['abc', 'def', 'p1', 'p2', 'p3', 'p4', 't1', 'a1', 'r1', 'r2', 'session=1']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      msg: 'a line',
      authorization: '[redacted]',
      body: { password: '[redacted]', email: 'owner@example.com' },
      headers: { cookie: '[redacted]', 'user-agent': 'curl' },
    });
  });

  it('maps LOG_LEVEL onto pino: log is info, verbose is trace', async () => {
    expect((await createLogger({ logLevel: 'log', logFormat: 'json' })).level).toBe('info');
    expect((await createLogger({ logLevel: 'verbose', logFormat: 'json' })).level).toBe('trace');
    expect((await createLogger({ logLevel: 'error', logFormat: 'json' })).level).toBe('error');
  });

  it.each([
    ['abc-123', 'abc-123'],
    ['7f1c2d3e-0000-4000-8000-000000000000', '7f1c2d3e-0000-4000-8000-000000000000'],
  ])('keeps the sane request id %s', (given, kept) => {
    expect(requestIdOf({ headers: { 'x-request-id': given } } as never)).toBe(kept);
  });

  it.each([['with spaces'], ['x'.repeat(129)], ['line\nbreak'], ['{"json":1}']])('replaces the request id %j with a UUID', (given) => {
    expect(requestIdOf({ headers: { 'x-request-id': given } } as never)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
