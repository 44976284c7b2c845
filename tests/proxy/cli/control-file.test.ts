// control.json tells commands where a running serve answers; they trust it only once the other end
// proves to be that serve: its process holds the data folder's lock, and it answers as a serve does. A
// file left behind, or one pointing at some other web server, is ignored: commands work on the files,
// and a new serve starts.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectToRunningServer } from '../../../src-proxy/cli/control-file.js';
import { main } from '../../../src-proxy/cli/main.js';
import { recordingIo } from './cli-io.js';

let dir: string;
let foreign: Server;
let foreignUrl: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-control-'));
  // Some other program's web server, answering anything with a 200.
  foreign = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, value: { hello: 'world' } }));
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', () => resolve()));
  foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
  // Left by a serve that died; its pid now belongs to a live process (this one).
  await writeFile(join(dir, 'control.json'), JSON.stringify({ pid: process.pid, url: foreignUrl, token: 'left-behind-token-0123456789' }));
});
afterEach(async () => {
  await new Promise((resolve) => foreign.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('a control.json that points at a foreign server', () => {
  it('is not taken for a running serve', async () => {
    expect(await connectToRunningServer(dir)).toBeNull();
  });

  it('leaves commands to work on the files, without a stack trace', async () => {
    const io = recordingIo();
    expect(await main(['accounts', 'list', '--data-dir', dir], io)).toBe(0);
    expect(io.stderr.join('\n')).not.toMatch(/TypeError|at .*\.ts:\d+/);
    expect(await main(['config', 'set', 'port', '9231', '--data-dir', dir], recordingIo())).toBe(0);
    const shown = recordingIo();
    expect(await main(['config', 'get', 'port', '--data-dir', dir], shown)).toBe(0);
    expect(shown.stdout).toEqual(['9231']);
  });
});
