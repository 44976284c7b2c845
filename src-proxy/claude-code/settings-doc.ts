// What Switchyard changes in a Claude Code settings document, as pure functions over the parsed JSON.
// A "place" is one key Switchyard sets or sets aside: `env.NAME` inside the `env` block, or a top-level
// key (`apiKeyHelper`). Everything else in the document is never read or written here.

import type { ClaudeCodeDrift, ClaudeModelSlot } from '../contract/index.js';

/** A value at a place, or null when the key is absent (a JSON `null` is `{ value: null }`). */
export type Slot = { value: unknown } | null;
export type Places = Record<string, Slot>;
export type SettingsDoc = Record<string, unknown>;

export const BASE_URL_PLACE = 'env.ANTHROPIC_BASE_URL';
export const TOKEN_PLACE = 'env.ANTHROPIC_AUTH_TOKEN';
/** Claude Code sends an `ANTHROPIC_API_KEY` as `x-api-key` beside the token: set aside while connected. */
export const API_KEY_PLACE = 'env.ANTHROPIC_API_KEY';
/** A helper's key wins over the token: set aside while connected. */
export const HELPER_PLACE = 'apiKeyHelper';
/** Makes `/model` list what the gateway's `/v1/models` offers. */
export const DISCOVERY_PLACE = 'env.CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY';
export const MODEL_PLACES: Readonly<Record<ClaudeModelSlot, string>> = {
  opus: 'env.ANTHROPIC_DEFAULT_OPUS_MODEL',
  sonnet: 'env.ANTHROPIC_DEFAULT_SONNET_MODEL',
  haiku: 'env.ANTHROPIC_DEFAULT_HAIKU_MODEL',
};

/**
 * The token written while the gateway's auth is off: Claude Code needs some credential to start, and
 * with one of ours it never sends the user's own login or key to the gateway.
 */
export const NO_AUTH_TOKEN = 'switchyard-auth-off';

export interface Wanted {
  /** The gateway's address, without `/v1`. */
  baseUrl: string;
  /** The gateway key when auth is on; null when it is off. */
  key: string | null;
  models?: Partial<Record<ClaudeModelSlot, string>>;
}

/** What a connected file holds at each place Switchyard owns. */
export function wantedPlaces(w: Wanted): Places {
  const places: Places = {
    [BASE_URL_PLACE]: { value: w.baseUrl },
    [TOKEN_PLACE]: { value: w.key ?? NO_AUTH_TOKEN },
    [API_KEY_PLACE]: null,
    [HELPER_PLACE]: null,
    [DISCOVERY_PLACE]: { value: '1' },
  };
  for (const [slot, place] of Object.entries(MODEL_PLACES) as Array<[ClaudeModelSlot, string]>) {
    const model = w.models?.[slot];
    if (model !== undefined) places[place] = { value: model };
  }
  return places;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function split(place: string): { block: 'env' | null; key: string } {
  return place.startsWith('env.') ? { block: 'env', key: place.slice(4) } : { block: null, key: place };
}

export function readPlace(doc: SettingsDoc, place: string): Slot {
  const { block, key } = split(place);
  const holder = block === null ? doc : doc[block];
  if (!isObject(holder) || !Object.hasOwn(holder, key)) return null;
  return { value: holder[key] };
}

/** A copy of `doc` with `place` set (or removed, for null). Keys keep their position; new ones go last. */
function writePlace(doc: SettingsDoc, place: string, slot: Slot): SettingsDoc {
  const { block, key } = split(place);
  if (block === null) return withKey(doc, key, slot);
  const env = isObject(doc[block]) ? doc[block] : {};
  return { ...doc, [block]: withKey(env, key, slot) };
}

function withKey(holder: Record<string, unknown>, key: string, slot: Slot): Record<string, unknown> {
  if (slot === null) {
    if (!Object.hasOwn(holder, key)) return holder;
    const { [key]: _gone, ...rest } = holder;
    return rest;
  }
  return { ...holder, [key]: slot.value };
}

export function sameSlot(a: Slot, b: Slot): boolean {
  if (a === null || b === null) return a === b;
  return JSON.stringify(a.value) === JSON.stringify(b.value);
}

/** Sets every wanted place; returns the document and what each place held before. */
export function applyPlaces(doc: SettingsDoc, wanted: Places): { doc: SettingsDoc; before: Places } {
  const before: Places = {};
  let next = doc;
  for (const [place, slot] of Object.entries(wanted)) {
    before[place] = readPlace(doc, place);
    next = writePlace(next, place, slot);
  }
  return { doc: next, before };
}

/**
 * Puts back `previous` at each place that still holds what Switchyard wrote; a place another program
 * changed since is left as it is and named in `kept`. An `env` block Switchyard created and left empty
 * goes too.
 */
export function restorePlaces(doc: SettingsDoc, previous: Places, written: Places, hadEnv: boolean): { doc: SettingsDoc; kept: string[] } {
  const kept: string[] = [];
  let next = doc;
  for (const [place, ours] of Object.entries(written)) {
    if (!sameSlot(readPlace(next, place), ours)) {
      kept.push(place);
      continue;
    }
    next = writePlace(next, place, previous[place] ?? null);
  }
  if (!hadEnv && isObject(next.env) && Object.keys(next.env).length === 0) {
    const { env: _empty, ...rest } = next;
    next = rest;
  }
  return { doc: next, kept };
}

/** The address without a trailing slash, for comparing what a file says with the gateway's. */
export function normalUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** How the document differs from a connection to the gateway as it is now; empty when it is connected. */
export function driftOf(doc: SettingsDoc | null, w: Wanted): ClaudeCodeDrift[] {
  const base = doc === null ? null : readPlace(doc, BASE_URL_PLACE);
  const url = base !== null && typeof base.value === 'string' ? normalUrl(base.value) : null;
  if (url === null) return ['base_url'];
  const drift: ClaudeCodeDrift[] = [];
  if (url !== normalUrl(w.baseUrl)) drift.push(samePlaceOtherPort(url, w.baseUrl) ? 'port' : 'base_url');
  if (w.key !== null && !sameSlot(readPlace(doc!, TOKEN_PLACE), { value: w.key })) {
    // The key may also come as ANTHROPIC_API_KEY when someone wrote it by hand.
    if (!sameSlot(readPlace(doc!, API_KEY_PLACE), { value: w.key })) drift.push('key');
  }
  if (readPlace(doc!, HELPER_PLACE) !== null) drift.push('api_key_helper');
  return drift;
}

function samePlaceOtherPort(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    const loopback = (h: string) => h === 'localhost' || h === '[::1]' || /^127\./.test(h);
    return x.protocol === y.protocol && (x.hostname === y.hostname || (loopback(x.hostname) && loopback(y.hostname))) && x.port !== y.port;
  } catch {
    return false;
  }
}
