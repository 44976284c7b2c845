// Export and import act on files of the gateway's machine, named by whoever holds the console: an export
// never replaces a file unless asked to, never writes through a symbolic link, and an import reads only
// a regular file of sane size, so a path to a pipe or a device cannot hang the gateway.

import { execFileSync } from 'node:child_process';
import { lstat, mkdtemp, readFile, readlink, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryAccountStore } from '../../../src-proxy/accounts/memory-account-store.js';
import { MemorySecretStore } from '../../../src-proxy/accounts/memory-secret-store.js';
import { ControlError } from '../../../src-proxy/contract/index.js';
import { createRuntime, type Runtime } from '../../../src-proxy/runtime/create-runtime.js';
import { MemorySettingsStore } from '../../../src-proxy/settings/memory-settings-store.js';

let dir: string;
let runtime: Runtime;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-files-'));
  runtime = await createRuntime({ settings: new MemorySettingsStore(), accounts: new MemoryAccountStore(), secrets: new MemorySecretStore() });
  // A label as a shell would run it, had the file been one a shell sources.
  await runtime.addAccount({
    provider: 'anthropic',
    label: '$(touch /tmp/pwned)',
    api_key: 'sk-fake-export-me',
    options: { base_url: 'https://api.example.com' },
  });
});
afterEach(async () => {
  await runtime.close();
  await rm(dir, { recursive: true, force: true });
});

async function refusal(p: Promise<unknown>): Promise<ControlError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ControlError);
  return err as ControlError;
}

describe('exportAccounts', () => {
  it('refuses a file that exists and leaves it as it was; replaces it when asked to', async () => {
    const target = join(dir, '.bashrc');
    await writeFile(target, 'export PATH=$HOME/bin:$PATH\n');
    const err = await refusal(runtime.exportAccounts({ path: target, include_secrets: false }));
    expect(err.code).toBe('already_exists');
    expect(err.message).toContain(target);
    expect(await readFile(target, 'utf8')).toBe('export PATH=$HOME/bin:$PATH\n');

    expect(await runtime.exportAccounts({ path: target, include_secrets: false, overwrite: true })).toMatchObject({ path: target, count: 1 });
    const file = JSON.parse(await readFile(target, 'utf8'));
    expect(file.accounts[0].label).toBe('$(touch /tmp/pwned)');
  });

  it.each([false, true])('never writes through a symbolic link, asked to replace or not (overwrite %s)', async (overwrite) => {
    const victim = join(dir, 'victim.sh');
    await writeFile(victim, 'echo untouched\n');
    const link = join(dir, 'accounts.json');
    await symlink(victim, link);
    const err = await refusal(runtime.exportAccounts({ path: link, include_secrets: true, overwrite }));
    expect(err.code).toBe(overwrite ? 'invalid_argument' : 'already_exists');
    expect(await readFile(victim, 'utf8')).toBe('echo untouched\n');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(victim);
  });

  it('writes a new file readable by the user only', async () => {
    const target = join(dir, 'new.json');
    await runtime.exportAccounts({ path: target, include_secrets: true });
    if (process.platform !== 'win32') expect((await lstat(target)).mode & 0o777).toBe(0o600);
    expect(await readFile(target, 'utf8')).toContain('sk-fake-export-me');
  });
});

/** What `p` settles to within `ms`: its value or error, or 'pending' (a hang, bounded). */
function within<T>(p: Promise<T>, ms: number): Promise<{ value: T } | { error: unknown } | 'pending'> {
  return Promise.race([
    p.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
    new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms).unref()),
  ]);
}

describe.skipIf(process.platform === 'win32')('importAccounts', () => {
  it('refuses a named pipe at once, and four such imports leave settings changes free', async () => {
    const fifo = join(dir, 'accounts.fifo');
    execFileSync('mkfifo', [fifo]);
    const imports = Array.from({ length: 4 }, () => within(runtime.importAccounts({ path: fifo }), 3000));
    for (const outcome of await Promise.all(imports)) {
      expect(outcome).not.toBe('pending');
      expect((outcome as { error: ControlError }).error).toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('not a regular file') });
    }
    expect(await within(runtime.updateSettings({ log_history_limit: 10 }), 3000)).toMatchObject({ value: { log_history_limit: 10 } });
  });

  it('refuses a device and a file past the size an export can have', async () => {
    expect((await refusal(runtime.importAccounts({ path: '/dev/zero' }))).message).toContain('not a regular file');
    const huge = join(dir, 'huge.json');
    await writeFile(huge, '');
    await truncate(huge, 64 * 1024 * 1024);
    expect((await refusal(runtime.importAccounts({ path: huge }))).message).toMatch(/larger than/);
  });
});
