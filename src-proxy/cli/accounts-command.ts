// `switchyard accounts add|login|list|test|edit|remove|enable|disable|group|export|import`.

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ControlError, type Account, type ControlApi, type ControlClient } from '../contract/index.js';
import {
  allKindFlags,
  editFlagsOf,
  kindExample,
  kindFlags,
  labelFromSecret,
  isGoogleKind,
  newAccountFromFlags,
  optionEditsFromFlags,
  secretFlagOf,
} from './account-kinds.js';
import { loginCommand } from './google-login.js';
import { UsageError, type CliIo } from './io.js';
import { chooseKind } from './preset-flags.js';
import { describeAccount, describeIssues, describeTest } from './wording.js';

export async function accountsCommand(args: string[], api: ControlClient, io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add':
      return add(rest, api, io);
    case 'login':
      return loginCommand(rest, api, io);
    case 'list':
    case undefined:
      return list(rest, api, io);
    case 'remove':
    case 'enable':
    case 'disable':
      return change(sub, rest, api, io);
    case 'group':
      return group(rest, api, io);
    case 'test':
      return test(rest, api, io);
    case 'edit':
      return edit(rest, api, io);
    case 'export':
      return exportAccounts(rest, api, io);
    case 'import':
      return importAccounts(rest, api, io);
    default:
      throw new UsageError(`Unknown accounts command "${sub}". Use add, login, list, test, edit, remove, enable, disable, group, export or import.`);
  }
}

async function add(args: string[], api: ControlApi, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      provider: { type: 'string' },
      preset: { type: 'string' },
      'key-env': { type: 'string' },
      'key-stdin': { type: 'boolean', default: false },
      label: { type: 'string' },
      group: { type: 'string' },
      ...allKindFlags(),
    },
    strict: true,
  });
  const { kind, named, values: flagValues } = chooseKind(values.provider, values.preset, values);
  const ownFlags = kindFlags(kind);
  const foreign = Object.keys(values).filter((name) => !COMMON_FLAGS.has(name) && !(name in ownFlags) && values[name as keyof typeof values] !== undefined);
  // Defaults of other kinds' flags are filled in by the parser; only flags the user gave count.
  const given = foreign.filter((name) => args.some((a) => a === `--${name}` || a.startsWith(`--${name}=`)));
  if (given.length > 0) throw new UsageError(`--${given[0]} does not apply to ${named}.`);
  const secretFlag = secretFlagOf(kind);
  const secretEnv = values['key-env'] ?? (secretFlag ? str((values as Record<string, unknown>)[secretFlag]) : undefined);
  if (!values.label && !isGoogleKind(kind)) throw new UsageError('--label is required: the name shown in the console and in X-Account-Email.');
  let key: string;
  if (secretEnv) {
    // The key itself never appears on the command line, where shell history and `ps` would keep it.
    key = io.env[secretEnv]?.trim() ?? '';
    if (!key) throw new UsageError(`Environment variable ${secretEnv} is not set or empty.`);
  } else if (values['key-stdin']) {
    key = (await io.readStdin()).trim();
    if (!key) throw new UsageError('No key was given on standard input.');
  } else {
    throw new UsageError(`Give the ${secretFlag ? 'secret' : 'API key'} with ${secretFlag ? `--${secretFlag}` : '--key-env'} VAR (or --key-stdin).`);
  }
  const label = values.label ?? (await labelFromSecret(kind, key, api)!);
  // A Google account is its email: adding it again gives it the new secret instead of a twin.
  const same = isGoogleKind(kind) ? (await api.listAccounts()).find((a) => a.provider === kind && a.label.toLowerCase() === label.toLowerCase()) : undefined;
  if (same) {
    await api.updateAccount(same.id, { api_key: key });
    io.out(`Replaced the secret of account ${same.id} (${same.label}); it is back in service.`);
    return 0;
  }
  const account = await api.addAccount({ ...newAccountFromFlags(kind, label, key, flagValues), ...(values.group ? { group: values.group } : {}) });
  io.out(`Added account ${account.id} (${account.label}).`);
  return 0;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

const COMMON_FLAGS = new Set(['provider', 'preset', 'key-env', 'key-stdin', 'label', 'group']);

async function list(args: string[], api: ControlApi, io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } }, strict: true });
  const accounts = await api.listAccounts();
  if (values.json) {
    io.out(JSON.stringify(accounts, null, 2));
    return 0;
  }
  if (accounts.length === 0) {
    io.out(`No accounts. Add one with: switchyard accounts add ${kindExample('anthropic')}`);
    return 0;
  }
  for (const a of accounts) for (const line of describeAccount(a)) io.out(line);
  return 0;
}

async function change(sub: 'remove' | 'enable' | 'disable', args: string[], api: ControlApi, io: CliIo): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError(`Usage: switchyard accounts ${sub} ID|LABEL`);
  const account = findAccount(await api.listAccounts(), positionals[0]!);
  if (sub === 'remove') {
    await api.removeAccount(account.id);
    io.out(`Removed account ${account.id} (${account.label}) and its key.`);
  } else {
    await api.updateAccount(account.id, { enabled: sub === 'enable' });
    io.out(`${sub === 'enable' ? 'Enabled' : 'Disabled'} account ${account.id} (${account.label}).`);
  }
  return 0;
}

/** `accounts group ID|LABEL NAME` puts the account in a group (rules name groups); `--clear` takes it out. */
async function group(args: string[], api: ControlApi, io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { clear: { type: 'boolean', default: false } }, strict: true });
  const usage = 'Usage: switchyard accounts group ID|LABEL NAME  (or --clear)';
  if (positionals.length !== (values.clear ? 1 : 2)) throw new UsageError(usage);
  const account = findAccount(await api.listAccounts(), positionals[0]!);
  const name = values.clear ? null : positionals[1]!;
  await api.updateAccount(account.id, { group: name });
  io.out(name === null ? `Account ${account.id} (${account.label}) is in no group now.` : `Account ${account.id} (${account.label}) is in group "${name}".`);
  return 0;
}

/**
 * `accounts edit ID|LABEL [--label NEW] [--group NAME | --no-group] [options of its kind]`: changes what is
 * given and keeps the rest; the key is changed by adding the account again, never shown.
 */
async function edit(args: string[], api: ControlApi, io: CliIo): Promise<number> {
  const usage = 'Usage: switchyard accounts edit ID|LABEL [--label NEW] [--group NAME | --no-group] [--base-url URL] [--auth-scheme x-api-key|bearer] ...';
  const ref = args[0];
  if (ref === undefined || ref.startsWith('--')) throw new UsageError(usage);
  const account = findAccount(await api.listAccounts(), ref);
  const flags = editFlagsOf(account.provider);
  const { values, positionals } = parseArgs({
    args: args.slice(1),
    allowPositionals: true,
    options: {
      label: { type: 'string' },
      group: { type: 'string' },
      'no-group': { type: 'boolean' },
      ...Object.fromEntries(Object.entries(flags).map(([name, f]) => [name, { type: f.value ? ('string' as const) : ('boolean' as const) }])),
    },
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(usage);
  if (values.group !== undefined && values['no-group']) throw new UsageError('Give --group NAME or --no-group, not both.');
  const options = optionEditsFromFlags(account.provider, values);
  const patch = {
    ...(values.label !== undefined ? { label: values.label } : {}),
    ...(values.group !== undefined ? { group: values.group } : values['no-group'] ? { group: null } : {}),
    ...(Object.keys(options).length > 0 ? { options } : {}),
  };
  if (Object.keys(patch).length === 0) throw new UsageError(`Nothing to change. ${usage}`);
  const updated = await api.updateAccount(account.id, patch).catch((err: unknown) => {
    // A refused value is named by the flag that gave it.
    if (!(err instanceof ControlError) || !err.issues?.length) throw err;
    const flagOf = (path: ReadonlyArray<string | number>) => {
      const name = path.at(-1);
      const flag = Object.entries(flags).find(([, f]) => f.option === name)?.[0] ?? (name === 'label' || name === 'group' ? name : undefined);
      return flag ? `--${flag}` : undefined;
    };
    throw new UsageError(`${describeIssues(err.issues, flagOf)}.`);
  });
  io.out(`Changed account ${updated.id} (${updated.label}):`);
  for (const line of describeAccount(updated).slice(1)) io.out(line);
  return 0;
}

/** `accounts test ID|LABEL`: one cheap real request through the account; exits 0 only when it was answered. */
async function test(args: string[], api: ControlApi, io: CliIo): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('Usage: switchyard accounts test ID|LABEL');
  const account = findAccount(await api.listAccounts(), positionals[0]!);
  const tested = await api.testAccount(account.id);
  const outcome = tested.last_test!;
  const line = `${tested.label}: ${describeTest(tested, outcome)}`;
  if (outcome.failure === null) io.out(line);
  else io.err(line);
  return outcome.failure === null ? 0 : 1;
}

/** The file is written by the process holding the accounts; a relative path means the user's directory. */
function filePath(args: string[], sub: 'export' | 'import', extra = ''): { path: string; values: Record<string, unknown> } {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'include-secrets': { type: 'boolean', default: false }, force: { type: 'boolean', default: false } },
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError(`Usage: switchyard accounts ${sub} FILE${extra}`);
  if (sub === 'import' && values['include-secrets']) throw new UsageError('--include-secrets applies to export only.');
  if (sub === 'import' && values.force) throw new UsageError('--force applies to export only.');
  return { path: resolve(positionals[0]!), values };
}

async function exportAccounts(args: string[], api: ControlApi, io: CliIo): Promise<number> {
  const { path, values } = filePath(args, 'export', ' [--include-secrets] [--force]');
  const includeSecrets = values['include-secrets'] === true;
  const result = await api.exportAccounts({ path, include_secrets: includeSecrets, overwrite: values.force === true }).catch((err: unknown) => {
    if (err instanceof ControlError && err.code === 'already_exists') throw new UsageError(`${path} exists already; use --force to replace it.`);
    throw err;
  });
  io.out(
    includeSecrets
      ? `Exported ${result.count} accounts with their keys to ${result.path} (readable by you only; keep it safe).`
      : `Exported ${result.count} accounts to ${result.path}, without keys (importing it elsewhere needs --include-secrets).`,
  );
  return 0;
}

async function importAccounts(args: string[], api: ControlApi, io: CliIo): Promise<number> {
  const { path } = filePath(args, 'import');
  const result = await api.importAccounts({ path });
  io.out(`Imported ${result.added} accounts from ${path}; ${result.skipped} skipped (already here, or without a key).`);
  return 0;
}

function findAccount(accounts: Account[], ref: string): Account {
  const byId = accounts.find((a) => a.id === ref);
  if (byId) return byId;
  const byLabel = accounts.filter((a) => a.label === ref);
  if (byLabel.length === 1) return byLabel[0]!;
  if (byLabel.length > 1) throw new UsageError(`Several accounts are labelled "${ref}"; use the id (switchyard accounts list).`);
  throw new UsageError(`No account with id or label "${ref}".`);
}
