// An HTTPS front for a loopback fake: TLS terminated with a certificate for 127.0.0.1 issued by a CA no
// system trusts, the way a TLS-inspecting proxy presents upstreams, and the bytes passed through to the
// plain fake behind it. The CA and its certificate are made fresh for each test process, so no private key
// lives in the repository.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestAuthority {
  /** The PEM file of the CA that issued the front's certificate. */
  caFile: string;
  key: string;
  cert: string;
  /** Removes the folder holding the files. */
  dispose(): Promise<void>;
}

/** A throwaway CA and a server certificate for IP 127.0.0.1 that it issued, valid for two days. */
export async function issueTestAuthority(): Promise<TestAuthority> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-test-ca-'));
  const at = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=Switchyard test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await run('openssl', ['req', ...ec, '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=127.0.0.1']);
  await writeFile(at('server.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-out',
    at('server.pem'),
    '-days',
    '2',
    '-extfile',
    at('server.ext'),
  ]);
  return {
    caFile: at('ca.pem'),
    key: await readFile(at('server.key'), 'utf8'),
    cert: await readFile(at('server.pem'), 'utf8'),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface TlsFront {
  /** https://127.0.0.1:PORT */
  url: string;
  close(): Promise<void>;
}

export async function startTlsFront(target: string, authority: Pick<TestAuthority, 'key' | 'cert'>): Promise<TlsFront> {
  const { port } = new URL(target);
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const server = createServer({ key: authority.key, cert: authority.cert }, (client) => {
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
