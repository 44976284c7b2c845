// Joining a team: connect to its store, derive the team key (refusing a team secret that does not open
// the team's check value), seed an empty team from this gateway's data folder when asked, read the whole
// picture, and keep it current from the changes channel. What comes out are the same ports the file
// stores fill for one gateway, and the link the runtime reports the team through.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Account, GatewayStatus } from '../contract/index.js';
import type { AccountStore } from '../accounts/account-store.js';
import type { SecretStore } from '../accounts/secret-store.js';
import { EventBus } from '../lib/event-bus.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { accountToFields, type Fields } from './account-fields.js';
import { Outbox } from './outbox.js';
import { PresenceBeat } from './presence.js';
import { MIN_TEAM_SECRET_LENGTH, newSalt, TeamKey } from './sealing.js';
import { TeamAccountStore } from './team-accounts.js';
import { TeamSessionBindings } from './team-bindings.js';
import { describeRedisUrl, loadRedisClient, TeamConnection } from './team-connection.js';
import { TeamRequestHistory } from './team-history.js';
import { TeamInFlight } from './team-in-flight.js';
import { KEYS } from './team-keys.js';
import type { TeamLink } from './team-link.js';
import { secretContext, TeamSecretStore } from './team-secrets.js';
import { settingContext, sharedSettingsOf, TeamSettingsStore } from './team-settings.js';
import { TeamUsage } from './team-usage.js';

const CHECK_CONTEXT = 'team-check';
const CHECK_TEXT = 'switchyard team';
const CLOSE_DRAIN_MS = 2000;
const SEED_LOCK_MS = 30_000;

export type TeamJoinErrorCode = 'weak_secret' | 'unreachable' | 'wrong_secret';

export class TeamJoinError extends Error {
  constructor(
    readonly code: TeamJoinErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TeamJoinError';
  }
}

export interface JoinOptions {
  url: string;
  teamSecret: string;
  /** This gateway's own settings (its listen address, console port and team connection stay there). */
  localSettings: SettingsStore;
  /** This gateway's data folder, to seed an empty team from (`--seed-from-local`). */
  seedFrom?: { accounts: AccountStore; secrets: SecretStore } | null;
  /** Problems that must not stop the gateway (a write the store refused, a value that does not open). */
  onError(err: unknown): void;
  /** A fixed id for this gateway (tests); by default the host name and a random part. */
  instance?: string;
  /** False for a command that only reads or edits the team: it sends no heartbeat, so it is never listed as a gateway. */
  heartbeat?: boolean;
}

export interface Team {
  settings: TeamSettingsStore;
  accounts: TeamAccountStore;
  secrets: TeamSecretStore;
  bindings: TeamSessionBindings;
  usage: TeamUsage;
  history: TeamRequestHistory;
  inFlight: TeamInFlight;
  link: TeamLink;
  /** Accounts copied from the data folder into an empty team; null when none were (not asked, or the team had accounts). */
  seeded: { accounts: number } | null;
  /** How many accounts the team had when this gateway joined, before any seeding. */
  accountsBefore: number;
}

interface Change {
  k: string;
  o: string;
  s: number;
  id?: string;
  f?: string[] | Record<string, never>;
  v?: string | false;
  sk?: string;
  bk?: string;
  a?: string;
}

export async function joinTeam(opts: JoinOptions): Promise<Team> {
  if (opts.teamSecret.length < MIN_TEAM_SECRET_LENGTH) {
    throw new TeamJoinError('weak_secret', `The team secret must be at least ${MIN_TEAM_SECRET_LENGTH} characters long.`);
  }
  const where = describeRedisUrl(opts.url);
  const conn = new TeamConnection(opts.url, await loadRedisClient());
  try {
    await conn.open();
  } catch (err) {
    throw new TeamJoinError('unreachable', `Cannot reach the team store at ${where} (${(err as Error).message}).`);
  }
  try {
    const key = await teamKey(conn, opts.teamSecret, where);
    const instance = opts.instance ?? `${hostname().split('.')[0] || 'gateway'}-${randomBytes(3).toString('hex')}`;
    const outbox = new Outbox(conn, instance, opts.onError);
    const accounts = new TeamAccountStore(conn, outbox);
    const secrets = new TeamSecretStore(conn, outbox, key, (id) => opts.onError(new Error(`The key of account ${id} does not open with this team secret.`)));
    const settings = new TeamSettingsStore(opts.localSettings, conn, outbox, key);
    const bindings = new TeamSessionBindings(outbox);
    const usage = new TeamUsage(conn, outbox, instance);
    const history = new TeamRequestHistory(conn, outbox, instance, () => settings.get().log_history_limit);
    const inFlight = new TeamInFlight(conn, instance);

    conn.sub.on('message', (channel: string, text: string) => {
      if (channel === KEYS.inFlightChannel) {
        inFlight.applyRemote(text);
        return;
      }
      let c: Change;
      try {
        c = JSON.parse(text) as Change;
      } catch {
        return;
      }
      const own = c.o === instance;
      if (c.k === 'acct' && c.id) accounts.applyRemote(c.id, pairs(c.f), own, c.s);
      else if (c.k === 'acct-rm' && c.id) accounts.removeRemote(c.id);
      else if (c.k === 'secret' && c.id) secrets.applyRemote(c.id, typeof c.v === 'string' ? c.v : null);
      else if (c.k === 'settings') settings.applyRemote(pairs(c.f));
      else if (c.k === 'bind' && !own && c.sk && c.bk && c.a) bindings.applyRemote(c.sk, c.bk, c.a);
    });
    await conn.sub.subscribe(KEYS.changes, KEYS.inFlightChannel);

    const accountsBefore = await conn.cmd.zcard(KEYS.accountIds);
    let seeded: Team['seeded'] = null;
    if (opts.seedFrom && accountsBefore === 0) seeded = await seed(conn, outbox, key, opts.seedFrom, opts.localSettings, instance);

    const resync = async () => {
      // A store restarted without persistence comes back empty: the team is written again from what
      // the gateways knew, by the first to see it, and nobody forgets its accounts meanwhile.
      const lost = !(await conn.cmd.hexists(KEYS.team, 'check'));
      if (lost) await restore(conn, outbox, key, accounts, secrets, settings, instance);
      const picture = await readPicture(conn, outbox.lastApplied);
      if (lost && picture.accounts.length === 0) return picture;
      accounts.replaceAll(picture.accounts, picture.confirmed);
      secrets.replaceAll(picture.secrets);
      settings.applyRemote(picture.settings);
      return picture;
    };
    const first = await resync();
    bindings.load(first.sessions);
    // After the store was away, changes announced meanwhile were missed: read everything again.
    // A store that is away again is retried at its next return; only a store refusing a command is a bug.
    const again = () => void resync().catch((err: unknown) => (err as Error).name === 'ReplyError' && opts.onError(err));
    conn.events.on('up', again);
    conn.sub.on('ready', again);

    const statusEvents = new EventBus<{ change: undefined }>();
    let self: { status: () => GatewayStatus; version: string } | null = null;
    const startedAt = Date.now();
    const presence = new PresenceBeat(
      conn,
      () => ({ id: instance, address: self?.status().url ?? null, version: self?.version ?? '0.0.0', started_at: startedAt, last_heartbeat: Date.now() }),
      () => statusEvents.emit('change', undefined),
    );
    presence.beats.on('beat', (gateways) => void inFlight.beat(gateways));
    conn.events.on('up', () => statusEvents.emit('change', undefined));
    conn.events.on('down', () => statusEvents.emit('change', undefined));

    const link: TeamLink = {
      instance,
      status: () => ({ instance, store: where, unreachable_since: conn.unreachableSince, gateways: presence.list() }),
      attach(s) {
        self = s;
        if (opts.heartbeat !== false) presence.start();
      },
      onRemoteEntry: (listener) => history.onRemoteEntry(listener),
      onStatusChange: (listener) => statusEvents.on('change', () => listener()),
      async close() {
        await presence.leave(instance);
        await inFlight.close();
        await history.close();
        await usage.flush().catch(() => undefined);
        await Promise.race([outbox.drain(), new Promise((r) => setTimeout(r, CLOSE_DRAIN_MS).unref())]);
        outbox.close();
        conn.close();
      },
    };
    return { settings, accounts, secrets, bindings, usage, history, inFlight, link, seeded, accountsBefore };
  } catch (err) {
    conn.close();
    throw err;
  }
}

/** The team key; the first gateway of a team makes the salt and the check value, the others must open it. */
async function teamKey(conn: TeamConnection, teamSecret: string, where: string): Promise<TeamKey> {
  await conn.cmd.hsetnx(KEYS.team, 'salt', newSalt().toString('base64'));
  const salt = await conn.cmd.hget(KEYS.team, 'salt');
  const key = await TeamKey.derive(teamSecret, Buffer.from(salt ?? '', 'base64'));
  await conn.cmd.hsetnx(KEYS.team, 'check', key.seal(CHECK_TEXT, CHECK_CONTEXT));
  const check = (await conn.cmd.hget(KEYS.team, 'check')) ?? '';
  try {
    if (key.open(check, CHECK_CONTEXT) === CHECK_TEXT) return key.withCheck(check);
  } catch {
    // Falls through to the refusal.
  }
  throw new TeamJoinError(
    'wrong_secret',
    `The team secret does not match the team at ${where}: every gateway of a team needs the secret the team was started with (SWITCHYARD_TEAM_SECRET or the file in the setting team.secret_file).`,
  );
}

/**
 * Writes the team back into a store that lost it: the same salt and check value (the team key stays the
 * same), and, by one gateway, the accounts as the store last confirmed them (each gateway's writes the
 * store had not confirmed are still in its outbox and follow), their keys and the shared settings.
 */
async function restore(
  conn: TeamConnection,
  outbox: Outbox,
  key: TeamKey,
  accounts: TeamAccountStore,
  secrets: TeamSecretStore,
  settings: TeamSettingsStore,
  instance: string,
): Promise<void> {
  const locked = await conn.cmd.set(KEYS.seedLock, instance, 'PX', SEED_LOCK_MS, 'NX');
  if (locked !== 'OK') return;
  try {
    if ((await conn.cmd.zcard(KEYS.accountIds)) === 0) {
      let last = 0;
      for (const { id, score, fields } of accounts.confirmed()) {
        const secret = secrets.get(id);
        if (secret) outbox.push({ k: 'secret', id, v: key.seal(secret, secretContext(id)) });
        last = outbox.push({ k: 'acct', id, create: score, set: fields, incr: {}, del: [] });
      }
      const set: Record<string, string> = {};
      for (const [name, value] of Object.entries(sharedSettingsOf(settings.get()))) set[name] = key.seal(JSON.stringify(value), settingContext(name));
      last = outbox.push({ k: 'settings', set });
      await outbox.applied(last);
    }
    // The check value goes back last: until it is there, the other gateways take the store for one that
    // is still being restored and keep their accounts, instead of reading it half-written and empty.
    await conn.cmd.hsetnx(KEYS.team, 'salt', key.salt.toString('base64'));
    await conn.cmd.hsetnx(KEYS.team, 'check', key.check);
  } finally {
    await conn.cmd.del(KEYS.seedLock);
  }
}

/** Copies this gateway's accounts, keys and shared settings into an empty team; one gateway at a time. */
async function seed(
  conn: TeamConnection,
  outbox: Outbox,
  key: TeamKey,
  from: NonNullable<JoinOptions['seedFrom']>,
  localSettings: SettingsStore,
  instance: string,
): Promise<Team['seeded']> {
  const locked = await conn.cmd.set(KEYS.seedLock, instance, 'PX', SEED_LOCK_MS, 'NX');
  if (locked !== 'OK') return null;
  try {
    // Another gateway may have seeded between the count and the lock.
    if ((await conn.cmd.zcard(KEYS.accountIds)) > 0) return null;
    let last = 0;
    let count = 0;
    for (const account of from.accounts.list() as readonly Account[]) {
      const secret = from.secrets.get(account.id);
      if (!secret) continue;
      outbox.push({ k: 'secret', id: account.id, v: key.seal(secret, secretContext(account.id)) });
      last = outbox.push({ k: 'acct', id: account.id, create: account.created_at, set: accountToFields(account), incr: {}, del: [] });
      count++;
    }
    const set: Record<string, string> = {};
    for (const [name, value] of Object.entries(sharedSettingsOf(localSettings.get()))) set[name] = key.seal(JSON.stringify(value), settingContext(name));
    last = outbox.push({ k: 'settings', set });
    await outbox.applied(last);
    return { accounts: count };
  } finally {
    await conn.cmd.del(KEYS.seedLock);
  }
}

interface Picture {
  accounts: Array<{ id: string; score: number; fields: Fields }>;
  secrets: Record<string, string>;
  settings: Record<string, string>;
  sessions: Array<[string, Record<string, string>]>;
  confirmed: number;
}

async function readPicture(conn: TeamConnection, confirmed: number): Promise<Picture> {
  const idsAndScores = await conn.cmd.zrange(KEYS.accountIds, 0, -1, 'WITHSCORES');
  const ids: Array<{ id: string; score: number }> = [];
  for (let i = 0; i < idsAndScores.length; i += 2) ids.push({ id: idsAndScores[i]!, score: Number(idsAndScores[i + 1]) });
  const pipeline = conn.cmd.pipeline();
  for (const { id } of ids) pipeline.hgetall(KEYS.account(id));
  pipeline.hgetall(KEYS.secrets);
  pipeline.hgetall(KEYS.settings);
  pipeline.zrange(KEYS.sessionsRecent, 0, -1);
  const results = (await pipeline.exec()) ?? [];
  for (const [err] of results) if (err) throw err;
  const values = results.map(([, v]) => v);
  const sessionKeys = values[ids.length + 2] as string[];
  const sessionValues = sessionKeys.length > 0 ? await conn.cmd.hmget(KEYS.sessions, ...sessionKeys) : [];
  const sessions: Array<[string, Record<string, string>]> = [];
  sessionKeys.forEach((k, i) => {
    const text = sessionValues[i];
    if (!text) return;
    try {
      sessions.push([k, JSON.parse(text) as Record<string, string>]);
    } catch {
      // A damaged binding is a conversation that starts afresh.
    }
  });
  return {
    accounts: ids.map((a, i) => ({ ...a, fields: values[i] as Fields })),
    secrets: values[ids.length] as Record<string, string>,
    settings: values[ids.length + 1] as Record<string, string>,
    sessions,
    confirmed,
  };
}

function pairs(flat: string[] | Record<string, never> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(flat)) return out;
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}
