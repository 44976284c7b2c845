// Accounts as the console and the CLI manage them: the key is stored before the account exists and
// removed with it, and option changes are checked by the account's own kind.

import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import {
  ACCOUNT_KINDS,
  AccountPatchSchema,
  AccountSchema,
  ControlError,
  NewAccountSchema,
  newAccountSecret,
  type Account,
  type AccountPatch,
  type AccountsDownload,
  type AccountsDownloadRequest,
  type AccountsExportRequest,
  type AccountsExportResult,
  type AccountsImportRequest,
  type AccountsImportResult,
  type AccountsUpload,
  type NewAccount,
} from '../contract/index.js';
import { exportFileText, parseExportFile } from '../accounts/accounts-export.js';
import { writeFileAtomic, writeFileExclusive } from '../lib/json-file.js';
import type { StoreAccountPool } from '../accounts/account-pool.js';
import type { AccountStore } from '../accounts/account-store.js';
import type { SecretStore } from '../accounts/secret-store.js';
import { parseOrThrow, type Parser } from './parse-args.js';

export class AccountsService {
  constructor(
    private readonly accounts: AccountStore,
    private readonly secrets: SecretStore,
    private readonly pool: StoreAccountPool,
  ) {}

  async list(): Promise<Account[]> {
    // The counters of the last few hundred milliseconds of successes, written now rather than soon.
    this.pool.flushStats();
    return [...this.accounts.list()];
  }

  async add(input: NewAccount): Promise<Account> {
    const parsed = parseOrThrow(NewAccountSchema, input);
    const account = AccountSchema.parse({
      id: `acct_${randomBytes(6).toString('hex')}`,
      provider: parsed.provider,
      label: parsed.label,
      group: parsed.group ?? null,
      enabled: parsed.enabled ?? true,
      options: parsed.options,
      created_at: Date.now(),
    });
    // The key first: an account never exists without its key.
    await this.secrets.set(account.id, newAccountSecret(parsed));
    try {
      await this.accounts.add(account);
    } catch (err) {
      await this.secrets.delete(account.id);
      throw err;
    }
    return account;
  }

  async update(id: string, patch: AccountPatch): Promise<Account> {
    const current = this.require(id);
    const p = parseOrThrow(AccountPatchSchema, patch);
    const kindOptions = ACCOUNT_KINDS[current.provider].options as Parser<Account['options']>;
    const options = p.options ? parseOrThrow(kindOptions, { ...current.options, ...definedOnly(p.options) }) : current.options;
    if (p.api_key !== undefined) await this.secrets.set(id, p.api_key);
    const resetHealth = p.reset_health === true || p.api_key !== undefined;
    // `options` were parsed by the account's own kind's schema, so the account stays of its kind.
    return this.accounts.update(
      id,
      (a) =>
        ({
          ...a,
          label: p.label ?? a.label,
          group: p.group === undefined ? a.group : p.group,
          enabled: p.enabled ?? a.enabled,
          options,
          // A new secret, or the user's word, also lifts what the upstream said against the account.
          ...(resetHealth ? { health: 'ok' as const, health_message: null, health_at: Date.now(), cooldowns: [], learned: lifted(a.learned, Date.now()) } : {}),
        }) as Account,
    );
  }

  async remove(id: string): Promise<void> {
    this.require(id);
    await this.accounts.remove(id);
    await this.secrets.delete(id);
  }

  async exportAccounts({ path, include_secrets, overwrite }: AccountsExportRequest): Promise<AccountsExportResult> {
    const target = requireFullPath(path);
    const accounts = [...this.accounts.list()];
    const text = exportFileText(accounts, include_secrets ? (id) => this.secrets.get(id) : null, Date.now());
    // A file that exists (a shell's profile, say) is replaced only when the caller asked, and a symbolic
    // link never: the export would land wherever it points. Readable by the user only, secrets or not:
    // labels are often email addresses.
    if (overwrite) await requireReplaceable(target);
    const write = overwrite ? writeFileAtomic : writeFileExclusive;
    await write(target, text, 0o600).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') throw new ControlError('already_exists', `${target} exists already; export to a new file, or ask to replace it.`);
      throw new ControlError('invalid_argument', `Cannot write ${target} (${err.code ?? 'error'}).`);
    });
    return { path: target, count: accounts.length };
  }

  async importAccounts({ path }: AccountsImportRequest): Promise<AccountsImportResult> {
    const source = requireFullPath(path);
    return this.importText(await readImportFile(source), source);
  }

  /** The export file's text for the console to download: the same file `exportAccounts` writes. */
  downloadAccounts({ include_secrets }: AccountsDownloadRequest): AccountsDownload {
    const accounts = [...this.accounts.list()];
    const now = Date.now();
    const content = exportFileText(accounts, include_secrets ? (id) => this.secrets.get(id) : null, now);
    return { file_name: `switchyard-accounts-${new Date(now).toISOString().slice(0, 10)}.json`, content, count: accounts.length };
  }

  async uploadAccounts({ content }: AccountsUpload): Promise<AccountsImportResult> {
    return this.importText(content, 'The file');
  }

  private async importText(text: string, source: string): Promise<AccountsImportResult> {
    // The file's own words are never quoted back: an export may hold keys.
    const parsed = parseExportFile(text);
    if (!parsed) throw new ControlError('invalid_argument', `${source} is not a Switchyard accounts export.`);
    const present = new Set(this.accounts.list().map((a) => `${a.provider}\n${a.label}`));
    let added = 0;
    let skipped = parsed.unusable;
    for (const input of parsed.accounts) {
      const key = `${input.provider}\n${input.label}`;
      if (present.has(key)) {
        skipped++;
        continue;
      }
      await this.add(input);
      present.add(key);
      added++;
    }
    return { added, skipped };
  }

  private require(id: string): Account {
    const account = this.accounts.get(id);
    if (!account) throw new ControlError('not_found', `No account with id ${id}.`);
    return account;
  }
}

/** An export of thousands of accounts stays far below this; a longer file is not one. */
const MAX_IMPORT_BYTES = 16 * 1024 * 1024;
/** A regular file reads in milliseconds; one that does not (a stuck network mount) is given up. */
const IMPORT_READ_MS = 10_000;

/**
 * The text of a file to import, which must be a regular file of sane size. A named pipe or a device would
 * block a thread of the file system pool until someone wrote to it (four such imports would stall every
 * other file operation, settings changes included): it is opened without waiting and refused.
 */
async function readImportFile(source: string): Promise<string> {
  let handle: FileHandle;
  try {
    handle = await open(source, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new ControlError('invalid_argument', `Cannot read ${source} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ControlError('invalid_argument', `${source} is not a regular file.`);
    if (info.size > MAX_IMPORT_BYTES)
      throw new ControlError('invalid_argument', `${source} is larger than an accounts export can be (${MAX_IMPORT_BYTES} bytes).`);
    return await handle.readFile({ encoding: 'utf8', signal: AbortSignal.timeout(IMPORT_READ_MS) });
  } catch (err) {
    if (err instanceof ControlError) throw err;
    throw new ControlError('invalid_argument', `Cannot read ${source} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  } finally {
    await handle.close();
  }
}

/** A path an export may replace: nothing yet, or a regular file (not a link, a folder or a device). */
async function requireReplaceable(target: string): Promise<void> {
  let found: Stats;
  try {
    found = await lstat(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new ControlError('invalid_argument', `Cannot write ${target} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  if (found.isSymbolicLink()) throw new ControlError('invalid_argument', `${target} is a symbolic link; give the path of the file itself.`);
  if (!found.isFile()) throw new ControlError('invalid_argument', `${target} is not a regular file.`);
}

/** Import and export act on the gateway's machine, whose working directory means nothing to the console. */
function requireFullPath(path: string): string {
  if (!isAbsolute(path)) throw new ControlError('invalid_argument', `Give a full path (got "${path}").`);
  return path;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * What the account learned, without what keeps it from serving: the refusal is forgotten, and a quota or
 * rate-limit window reported used up counts as reset now (the next answer says how much is left).
 */
function lifted(learned: Account['learned'], now: number): Account['learned'] {
  const reset = <W extends { remaining: number | null; resets_at: number | null }>(w: W): W =>
    w.remaining === 0 && (w.resets_at === null || w.resets_at > now) ? { ...w, resets_at: now } : w;
  return { ...learned, disabled_reason: null, quota: learned.quota.map(reset), rate_limits: learned.rate_limits.map(reset) };
}
