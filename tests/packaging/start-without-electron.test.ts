// `npm start` where Electron's binary cannot be fetched: the electron package (42 and later) downloads it
// on the first launch, and when that fails the user gets one line saying what to do, not a stack trace.
// The electron package is copied into a throwaway project, and its download host is a loopback server
// that has no binary, so nothing is downloaded and the real node_modules is left alone.

import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { root } from './builder-config.js';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const ensureElectron = join(root, 'scripts', 'ensure-electron.mjs');

let project: string;
let host: Server;
let asked: string[];

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'switchyard-start-'));
  await writeFile(join(project, 'package.json'), '{"name":"start-check","private":true}\n');
  // The package as npm installs it: its files only, no binary.
  await cp(electronDir, join(project, 'node_modules', 'electron'), { recursive: true, filter: (src) => !/[\\/](dist|path\.txt)$/.test(src) });
  asked = [];
  host = createServer((req, res) => {
    asked.push(req.url ?? '');
    res.writeHead(404).end('Not Found');
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
});

afterEach(async () => {
  await new Promise((resolve) => host.close(resolve));
  await rm(project, { recursive: true, force: true });
});

function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ensureElectron], {
      cwd: project,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: project,
        // Electron's install script finds its own dependencies where npm put them.
        NODE_PATH: join(root, 'node_modules'),
        electron_config_cache: join(project, 'cache'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm start without a fetchable Electron', () => {
  it('tries the download once, then says in one line what to do, pointing to npm run serve', async () => {
    const { version } = JSON.parse(await readFile(join(electronDir, 'package.json'), 'utf8')) as { version: string };
    const { port } = host.address() as AddressInfo;
    const { code, stdout, stderr } = await run({ ELECTRON_MIRROR: `http://127.0.0.1:${port}/` });
    expect(code).toBe(1);
    expect(asked).toEqual([expect.stringContaining(`electron-v${version}-`)]);
    expect(stdout).toBe(`Downloading Electron ${version}, once...\n`);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^npm start: the desktop app needs Electron ${version.replace(/\./g, '\\.')}, which could not be downloaded \\(.*404.*\\)\\. To run Switchyard without it: npm run serve$`,
      ),
    );
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 70_000);

  it('says the same when the download host cannot be reached at all', async () => {
    const { port } = host.address() as AddressInfo;
    await new Promise((resolve) => host.close(resolve));
    host = createServer();
    const { code, stderr } = await run({ ELECTRON_MIRROR: `http://127.0.0.1:${port}/` });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^npm start: .*could not be downloaded \(its download host could not be reached\)\. To run Switchyard without it: npm run serve\n$/);
  }, 70_000);

  it('does nothing when the binary is there', async () => {
    const { code, stdout, stderr } = await run({ ELECTRON_OVERRIDE_DIST_PATH: project });
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(asked).toEqual([]);
  });
});
