// Claude Code's settings files on disk: where they are, reading them without ever changing one that is
// not valid JSON, and writing them atomically in the file's own mode and indentation.

import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ControlError, type ClaudeCodeTarget } from '../contract/index.js';
import { writeFileAtomic } from '../lib/json-file.js';
import type { SettingsDoc } from './settings-doc.js';

/** Where the core looks for the user's Claude folder when the caller names none. */
export interface ClaudeHome {
  /** `CLAUDE_CONFIG_DIR` of the core's environment, when set. */
  configDir?: string;
  home: string;
}

export function claudeHomeFromEnv(env: NodeJS.ProcessEnv = process.env): ClaudeHome {
  return { configDir: env.CLAUDE_CONFIG_DIR || undefined, home: env.HOME || homedir() };
}

/** The user's `settings.json`, or a project's `.claude/settings.local.json`. */
export function settingsPath(target: ClaudeCodeTarget, home: ClaudeHome): string {
  if (target.project_dir !== undefined) return join(resolve(target.project_dir), '.claude', 'settings.local.json');
  return join(resolve(target.config_dir ?? home.configDir ?? join(home.home, '.claude')), 'settings.json');
}

export interface SettingsFile {
  path: string;
  /** The bytes as they are; null when there is no file. */
  bytes: Buffer | null;
  /** Permission bits; null when there is no file. */
  mode: number | null;
  doc: SettingsDoc | null;
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads the file; one that is not a JSON object is refused with where it broke, and left as it is. */
export async function readSettingsFile(path: string): Promise<SettingsFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { path, bytes: null, mode: null, doc: null };
    throw new ControlError('invalid_argument', `Cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`);
  }
  const mode = (await stat(path)).mode & 0o777;
  const text = bytes.toString('utf8');
  if (text.trim() === '') return { path, bytes, mode, doc: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ControlError('invalid_argument', `${path} is not valid JSON (${whereItBroke(text)}). Fix it first; nothing was changed.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ControlError('invalid_argument', `${path} does not hold a JSON object. Fix it first; nothing was changed.`);
  }
  return { path, bytes, mode, doc: parsed as SettingsDoc };
}

/**
 * Line and column where JSON text stops being JSON. The parser's own message is not passed on: it may
 * quote the text around the error, and a settings file holds keys; nor does it always say where.
 */
export function whereItBroke(text: string): string {
  const at = jsonErrorOffset(text);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - (before.lastIndexOf('\n') + 1) + 1;
  return at >= text.length ? `it ends early, at line ${line}, column ${column}` : `line ${line}, column ${column}`;
}

/** The offset of the first character that cannot continue valid JSON (the length when it ends early). */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) if (text[i++] !== ch) fail();
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const ch = text[i]!;
      if (ch === '"') return void i++;
      if (ch < ' ') fail();
      if (ch === '\\') {
        i++;
        const e = text[i];
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) fail();
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail();
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') return object();
    if (ch === '[') return array();
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    return number();
  };
  const object = () => {
    i++;
    ws();
    if (text[i] === '}') return void i++;
    for (;;) {
      ws();
      if (text[i] !== '"') fail();
      string();
      ws();
      if (text[i] !== ':') fail();
      i++;
      value();
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === '}') return void i++;
      else fail();
    }
  };
  const array = () => {
    i++;
    ws();
    if (text[i] === ']') return void i++;
    for (;;) {
      value();
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === ']') return void i++;
      else fail();
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return text.length;
  } catch (at) {
    return Math.min(typeof at === 'number' ? at : text.length, text.length);
  }
}

/** The document as text, indented the way the file was (two spaces for a new one), ending as it ended. */
export function formatSettings(doc: SettingsDoc, like: Buffer | null): string {
  const old = like?.toString('utf8') ?? '';
  const indent = /\n([ \t]+)"/.exec(old)?.[1] ?? '  ';
  const newline = old === '' || old.endsWith('\n') ? '\n' : '';
  return `${JSON.stringify(doc, null, indent)}${newline}`;
}

/** Writes atomically with `mode`; a new file holding a key is readable by its owner only. */
export async function writeSettingsFile(path: string, data: string | Buffer, mode: number | null): Promise<void> {
  await writeFileAtomic(path, data, mode ?? 0o600);
}
