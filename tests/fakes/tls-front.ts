// An HTTPS front for a loopback fake: TLS terminated with a certificate for 127.0.0.1 issued by a CA no
// system trusts (tests/fakes/tls/ca.pem), the way a TLS-inspecting proxy presents upstreams, and the
// bytes passed through to the plain fake behind it.

import { readFileSync } from 'node:fs';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer } from 'node:tls';

const TLS_DIR = join(import.meta.dirname, 'tls');
/** The CA that issued the front's certificate. */
export const TEST_CA_FILE = join(TLS_DIR, 'ca.pem');

export interface TlsFront {
  /** https://127.0.0.1:PORT */
  url: string;
  close(): Promise<void>;
}

export async function startTlsFront(target: string): Promise<TlsFront> {
  const { port } = new URL(target);
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const server = createServer({ key: readFileSync(join(TLS_DIR, 'server.key')), cert: readFileSync(join(TLS_DIR, 'server.pem')) }, (client) => {
    const upstream = connect(Number(port), '127.0.0.1');
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  // A handshake the client refuses is the point of some tests, not a failure of the front.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
