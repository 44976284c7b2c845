// Connecting Claude Code's settings files and putting them back, on real files in a scratch folder.

import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClaudeCodeConnector } from '../../../src-proxy/claude-code/claude-code-connector.js';
import { FileClaudeLinkStore, MemoryClaudeLinkStore, type ClaudeLinkStore } from '../../../src-proxy/claude-code/link-store.js';
import type { Wanted } from '../../../src-proxy/claude-code/settings-doc.js';
import { ControlError } from '../../../src-proxy/contract/index.js';

let dir: string;
let claudeDir: string;
let settingsFile: string;
let gateway: Wanted;
let changes: string[];

const ORIGINAL = `{
    "permissions": { "allow": ["Bash(npm test)"] },
    "hooks": { "Stop": [{ "hooks": [{ "type": "command", "command": "notify-send done" }] }] },
    "env": { "FOO": "bar", "ANTHROPIC_API_KEY": "sk-fake-own" },
    "apiKeyHelper": "~/bin/anthropic-key.sh",
    "model": "opus"
}
`;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-claude-settings-'));
  claudeDir = join(dir, 'claude');
  settingsFile = join(claudeDir, 'settings.json');
  gateway = { baseUrl: 'http://127.0.0.1:8045', key: 'sk-gw-1' };
  changes = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function connector(links: ClaudeLinkStore = new MemoryClaudeLinkStore()): ClaudeCodeConnector {
  return new ClaudeCodeConnector({
    links,
    home: { home: join(dir, 'home'), configDir: claudeDir },
    wanted: () => gateway,
    onChange: (file) => changes.push(file),
  });
}

async function writeOriginal(text = ORIGINAL, mode = 0o640): Promise<void> {
  await mkdir(claudeDir, { recursive: true });
  await writeFile(settingsFile, text);
  await chmod(settingsFile, mode);
}

interface SettingsJson {
  permissions: { allow: string[] };
  env: Record<string, string>;
  apiKeyHelper?: string;
  model?: string;
}
const readSettings = async () => JSON.parse(await readFile(settingsFile, 'utf8')) as SettingsJson;
const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('connect', () => {
  it('writes the gateway into the env block and keeps everything else, with the apiKeyHelper set aside', async () => {
    await writeOriginal();
    const result = await connector().connect({});
    expect(result).toMatchObject({ already_linked: false, created: false, status: { connected: true, linked: true, drift: [], settings_file: settingsFile } });
    const doc = await readSettings();
    expect(doc).toEqual({
      permissions: { allow: ['Bash(npm test)'] },
      hooks: { Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }] },
      env: { FOO: 'bar', ANTHROPIC_BASE_URL: 'http://127.0.0.1:8045', ANTHROPIC_AUTH_TOKEN: 'sk-gw-1', CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY: '1' },
      model: 'opus',
    });
    expect(changes).toEqual([settingsFile]);
  });

  it('writes in the file own mode and indentation, atomically (no temporary file left)', async () => {
    await writeOriginal();
    await connector().connect({});
    expect(await modeOf(settingsFile)).toBe(0o640);
    expect(await readFile(settingsFile, 'utf8')).toMatch(/^\{\n {4}"permissions"/);
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(claudeDir)).toEqual(['settings.json']);
  });

  it('creates a missing file readable by its owner only', async () => {
    const result = await connector().connect({});
    expect(result.created).toBe(true);
    expect(await modeOf(settingsFile)).toBe(0o600);
    expect((await readSettings()).env.ANTHROPIC_BASE_URL).toBe('http://127.0.0.1:8045');
  });

  it('refuses a file that is not valid JSON, says where it broke, and leaves it untouched', async () => {
    const broken = '{\n  "permissions": {},\n  "env": { "FOO": "bar", }\n}\n';
    await writeOriginal(broken);
    const err = await connector()
      .connect({})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ControlError);
    expect((err as ControlError).code).toBe('invalid_argument');
    expect((err as ControlError).message).toBe(`${settingsFile} is not valid JSON (line 3, column 26). Fix it first; nothing was changed.`);
    expect(await readFile(settingsFile, 'utf8')).toBe(broken);
  });

  it('never quotes the broken file: it may hold keys', async () => {
    await writeOriginal('{"env": {"ANTHROPIC_API_KEY": sk-secret-value}}');
    const err = (await connector()
      .connect({})
      .catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('line 1, column 31');
    expect(err.message).not.toContain('sk-secret');
  });

  it('says so when a file ends in the middle', async () => {
    await writeOriginal('{"env": {');
    await expect(connector().connect({})).rejects.toThrow(/not valid JSON \(it ends early, at line 1, column 10\)/);
  });

  it('refuses to connect while auth is on with no key: Claude Code would be locked out', async () => {
    gateway = { ...gateway, key: '' };
    await expect(connector().connect({})).rejects.toThrow(/no key/);
  });

  it('connecting twice keeps the values from before the first connect', async () => {
    await writeOriginal();
    const c = connector();
    await c.connect({});
    gateway = { ...gateway, key: 'sk-gw-2' };
    const again = await c.connect({});
    expect(again.already_linked).toBe(true);
    expect((await readSettings()).env.ANTHROPIC_AUTH_TOKEN).toBe('sk-gw-2');
    const back = await c.disconnect({});
    expect(back.restored).toBe('file');
    expect(await readFile(settingsFile, 'utf8')).toBe(ORIGINAL);
  });

  it('connecting again keeps the model slots set before, and takes new ones', async () => {
    const c = connector();
    await c.connect({ models: { haiku: 'claude-haiku-4-5' } });
    await c.connect({ models: { opus: 'claude-opus-4-5' } });
    expect((await readSettings()).env).toMatchObject({ ANTHROPIC_DEFAULT_HAIKU_MODEL: 'claude-haiku-4-5', ANTHROPIC_DEFAULT_OPUS_MODEL: 'claude-opus-4-5' });
  });

  it('writes a project settings.local.json with --project, and refuses a folder that does not exist', async () => {
    const project = join(dir, 'project');
    await mkdir(project);
    const result = await connector().connect({ project_dir: project });
    expect(result.status.settings_file).toBe(join(project, '.claude', 'settings.local.json'));
    await expect(connector().connect({ project_dir: join(dir, 'nope') })).rejects.toThrow(/There is no folder/);
  });
});

describe('disconnect', () => {
  it('restores the file byte for byte, mode included, when nothing else changed it', async () => {
    await writeOriginal();
    const c = connector();
    await c.connect({});
    const result = await c.disconnect({});
    expect(result).toMatchObject({ restored: 'file', kept: [], status: { linked: false, connected: false } });
    expect(await readFile(settingsFile, 'utf8')).toBe(ORIGINAL);
    expect(await modeOf(settingsFile)).toBe(0o640);
  });

  it('removes a file connect created', async () => {
    const c = connector();
    await c.connect({});
    expect((await c.disconnect({})).restored).toBe('file');
    await expect(stat(settingsFile)).rejects.toThrow(/ENOENT/);
  });

  it('after another change, puts back only its own keys, keeps the other change, and names what it left', async () => {
    await writeOriginal();
    const c = connector();
    await c.connect({});
    const doc = await readSettings();
    doc.permissions.allow.push('Bash(git status)');
    doc.env.ANTHROPIC_AUTH_TOKEN = 'sk-someone-else';
    await writeFile(settingsFile, JSON.stringify(doc, null, 2));
    const result = await c.disconnect({});
    expect(result.restored).toBe('keys');
    expect(result.kept).toEqual(['env.ANTHROPIC_AUTH_TOKEN']);
    expect(await readSettings()).toEqual({
      permissions: { allow: ['Bash(npm test)', 'Bash(git status)'] },
      hooks: { Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }] },
      env: { FOO: 'bar', ANTHROPIC_AUTH_TOKEN: 'sk-someone-else', ANTHROPIC_API_KEY: 'sk-fake-own' },
      model: 'opus',
      apiKeyHelper: '~/bin/anthropic-key.sh',
    });
  });

  it('a change made between two connects is not lost by a byte-for-byte restore', async () => {
    await writeOriginal();
    const c = connector();
    await c.connect({});
    const doc = await readSettings();
    doc.model = 'sonnet';
    await writeFile(settingsFile, JSON.stringify(doc, null, 2));
    await c.connect({});
    expect((await c.disconnect({})).restored).toBe('keys');
    expect(await readSettings()).toMatchObject({ model: 'sonnet', apiKeyHelper: '~/bin/anthropic-key.sh', env: { ANTHROPIC_API_KEY: 'sk-fake-own' } });
  });

  it('a helper set again while connected is what connecting again and disconnecting keep', async () => {
    await writeOriginal();
    const c = connector();
    await c.connect({});
    const doc = await readSettings();
    doc.apiKeyHelper = '~/bin/newer.sh';
    await writeFile(settingsFile, JSON.stringify(doc, null, 2));
    await c.connect({});
    expect((await readSettings()).apiKeyHelper).toBeUndefined();
    await c.disconnect({});
    expect((await readSettings()).apiKeyHelper).toBe('~/bin/newer.sh');
  });

  it('changes nothing for a file it never connected', async () => {
    await writeOriginal();
    const result = await connector().disconnect({});
    expect(result.restored).toBe('not_linked');
    expect(await readFile(settingsFile, 'utf8')).toBe(ORIGINAL);
  });

  it('says so when the file was removed meanwhile, and forgets it', async () => {
    const c = connector();
    await c.connect({});
    await rm(settingsFile);
    expect((await c.disconnect({})).restored).toBe('file_gone');
    expect((await c.status({})).linked).toBe(false);
  });

  it('keeps what it needs to restore across restarts, in a private file in the data folder', async () => {
    await writeOriginal();
    const record = join(dir, 'data', 'claude-code.json');
    await connector(new FileClaudeLinkStore(record)).connect({});
    expect(await modeOf(record)).toBe(0o600);
    const later = connector(new FileClaudeLinkStore(record));
    expect((await later.status({})).linked).toBe(true);
    expect((await later.disconnect({})).restored).toBe('file');
    expect(await readFile(settingsFile, 'utf8')).toBe(ORIGINAL);
  });
});

describe('status', () => {
  it('reports drift when the port or key changed behind its back', async () => {
    const c = connector();
    await c.connect({});
    gateway = { baseUrl: 'http://127.0.0.1:9000', key: 'sk-gw-2' };
    expect(await c.status({})).toMatchObject({
      connected: false,
      linked: true,
      drift: ['port', 'key'],
      base_url: 'http://127.0.0.1:8045',
      gateway_url: 'http://127.0.0.1:9000',
    });
  });

  it('a missing file is simply not connected', async () => {
    expect(await connector().status({})).toMatchObject({ exists: false, connected: false, linked: false, drift: ['base_url'] });
  });
});

describe('follow', () => {
  it('writes a new port and key into every connected file, and still restores the original', async () => {
    await writeOriginal();
    const project = join(dir, 'project');
    await mkdir(project);
    const c = connector();
    await c.connect({});
    await c.connect({ project_dir: project });
    changes = [];
    gateway = { baseUrl: 'http://127.0.0.1:9000', key: 'sk-gw-2' };
    await c.follow();
    expect((await readSettings()).env).toMatchObject({ ANTHROPIC_BASE_URL: 'http://127.0.0.1:9000', ANTHROPIC_AUTH_TOKEN: 'sk-gw-2' });
    expect(changes).toEqual([settingsFile, join(project, '.claude', 'settings.local.json')]);
    expect((await c.status({})).connected).toBe(true);
    expect((await c.disconnect({})).restored).toBe('file');
    expect(await readFile(settingsFile, 'utf8')).toBe(ORIGINAL);
  });

  it('leaves alone a file someone pointed elsewhere, and one that no longer parses', async () => {
    const c = connector();
    await c.connect({});
    const doc = await readSettings();
    doc.env.ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
    const elsewhere = JSON.stringify(doc);
    await writeFile(settingsFile, elsewhere);
    gateway = { ...gateway, key: 'sk-gw-2' };
    await c.follow();
    expect(await readFile(settingsFile, 'utf8')).toBe(elsewhere);
    await writeFile(settingsFile, '{');
    await c.follow();
    expect(await readFile(settingsFile, 'utf8')).toBe('{');
  });

  it('writes nothing when nothing changed', async () => {
    const c = connector();
    await c.connect({});
    changes = [];
    await c.follow();
    expect(changes).toEqual([]);
  });
});
