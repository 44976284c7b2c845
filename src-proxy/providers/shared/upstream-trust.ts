// The connection pool every upstream call shares (accounts' endpoints, Google sign-in and token refresh),
// and which certificate authorities its TLS connections trust: the built-in ones, plus those of the
// `extra_ca_certs` file. That setting is how a user behind a TLS-inspecting proxy adds its CA to the
// desktop app, whose Node takes no NODE_EXTRA_CA_CERTS (the nodeOptions fuse blocks it); headless it
// works beside that variable.

import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import tls from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { ControlError, type Warning } from '../../contract/index.js';

/** A CA bundle is a few hundred kilobytes at most; a bigger file is not one. */
const MAX_CA_FILE_BYTES = 4 * 1024 * 1024;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM file; throws a ControlError naming the file (never its content) when it holds none. */
export async function readCaFile(file: string): Promise<string[]> {
  const refuse = (why: string) => new ControlError('invalid_argument', `extra_ca_certs: ${file} ${why}`);
  if (!isAbsolute(file)) throw refuse('is not an absolute path');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw refuse(`cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (text.length > MAX_CA_FILE_BYTES) throw refuse('is too large for a CA bundle');
  const pems = text.match(PEM_CERTIFICATE) ?? [];
  if (pems.length === 0) throw refuse('holds no PEM certificate');
  for (const pem of pems) {
    try {
      new X509Certificate(pem);
    } catch {
      throw refuse('holds a certificate that cannot be parsed');
    }
  }
  return pems;
}

/** What Node trusts by default (with NODE_EXTRA_CA_CERTS where Node reports it), then the extra ones. */
function trustedWith(extra: readonly string[]): string[] {
  const defaults = typeof tls.getCACertificates === 'function' ? tls.getCACertificates('default') : tls.rootCertificates;
  return [...defaults, ...extra];
}

export class UpstreamTrust {
  /** The pool to hand to every upstream client; its new connections trust what was set last. */
  readonly agent: Agent;
  private connector: buildConnector.connector;

  private constructor(extra: readonly string[]) {
    this.connector = UpstreamTrust.connectorFor(extra);
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 300_000,
      connect: (options, callback) => this.connector(options, callback),
    });
  }

  /** The pool for the `extra_ca_certs` setting; a file that cannot be used at start is reported, and only the built-in authorities are trusted. */
  static async open(file: string, onWarning: (w: Warning) => void): Promise<UpstreamTrust> {
    if (file === '') return new UpstreamTrust([]);
    try {
      return new UpstreamTrust(await readCaFile(file));
    } catch {
      onWarning({ code: 'extra_ca_certs_unreadable', file, backup: null, time: Date.now() });
      return new UpstreamTrust([]);
    }
  }

  /**
   * Reads and checks a new `extra_ca_certs` value before it is stored (rejecting with invalid_argument),
   * and returns what switches the pool to it once it is. Connections already open stay as they are.
   */
  async prepare(file: string): Promise<() => void> {
    const connector = UpstreamTrust.connectorFor(file === '' ? [] : await readCaFile(file));
    return () => {
      this.connector = connector;
    };
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private static connectorFor(extra: readonly string[]): buildConnector.connector {
    return buildConnector(extra.length === 0 ? {} : { ca: trustedWith(extra) });
  }
}
