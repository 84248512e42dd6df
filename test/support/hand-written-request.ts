import { connect, type Socket } from 'node:net';

/** One request written by hand on its own connection, so that the test decides when each byte goes, if ever. */
export class HandWrittenRequest {
  private readonly socket: Socket;
  private received = '';
  closed = false;

  constructor(url: string, head: string) {
    const { hostname, port } = new URL(url);
    this.socket = connect(Number(port), hostname);
    this.socket.on('data', (chunk: Buffer) => (this.received += chunk.toString('utf8')));
    this.socket.on('close', () => (this.closed = true));
    // A write racing the server's close may fail: what the server answered is what the test looks at.
    this.socket.on('error', () => undefined);
    this.socket.write(head);
  }

  /** Sends more, unless the server has answered or closed. */
  send(text: string): void {
    if (!this.closed && this.received === '') this.socket.write(text);
  }

  /** Sends `text` whatever the server has said: the next request on a connection kept alive. */
  sendAfterAnswer(text: string): void {
    this.socket.write(text);
  }

  get status(): number | undefined {
    return this.statuses[0];
  }

  /** The status of every answer received so far, in order (an answer follows the body before it on the same line). */
  get statuses(): number[] {
    return [...this.received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => Number(match[1]));
  }

  /** A header of the first answer, by its name in lower case. */
  header(name: string): string | undefined {
    const head = this.received.slice(0, this.received.indexOf('\r\n\r\n'));
    const line = head.split('\r\n').find((candidate) => candidate.toLowerCase().startsWith(`${name}:`));
    return line?.slice(name.length + 1).trim();
  }

  /** The body of the one answer received, as JSON. */
  get body(): unknown {
    const body = this.received.slice(this.received.indexOf('\r\n\r\n') + 4);
    return body ? JSON.parse(body) : undefined;
  }

  get message(): string | undefined {
    return (this.body as { message: string } | undefined)?.message;
  }

  end(): void {
    this.socket.destroy();
  }
}
