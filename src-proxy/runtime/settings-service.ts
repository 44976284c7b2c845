// Reading and changing settings. Changes run one at a time, each checked against the settings it
// replaces, so two changes that are each safe alone (host 0.0.0.0, auth_mode off) cannot both pass; a
// new listen address moves the listener first and is saved only once it listens, and a new CA file is
// read and checked before it is kept. The OAuth client secret and the password in the team's Redis
// address never leave through here: they are handed out masked, and the mask sent back keeps them.

import { randomBytes } from 'node:crypto';
import { ControlError, maskedClientSecret, maskedRedisUrl, type Account, type Settings, type SettingsPatch } from '../contract/index.js';
import { ruleProblems } from '../routing/rule-validation.js';
import { SerialQueue } from '../lib/serial-queue.js';
import { mergeSettings, type SettingsStore } from '../settings/settings-store.js';
import { changeRefusal } from './bind-policy.js';
import type { GatewayControl } from './gateway-control.js';
import { rethrowInvalid } from './parse-args.js';

function locksOut(s: Settings): boolean {
  return s.auth_mode !== 'off' && s.api_key === '';
}

/** The upstream pool's trusted CAs (UpstreamTrust): checks a new `extra_ca_certs` file and switches to it. */
export interface TrustSwitch {
  prepare(file: string): Promise<() => void>;
}

export class SettingsService {
  private readonly queue = new SerialQueue();

  constructor(
    private readonly store: SettingsStore,
    private readonly gateway: GatewayControl,
    private readonly trust?: TrustSwitch,
    /** The accounts rules may name (by label or group). */
    private readonly accounts: () => readonly Account[] = () => [],
  ) {}

  async get(): Promise<Settings> {
    return withSecretsMasked(this.store.get());
  }

  /** A fresh key: 32 random bytes, URL-safe, with a prefix that says what it is when it turns up somewhere. */
  generateApiKey(): Promise<Settings> {
    return this.update({ api_key: `sk-sy-${randomBytes(32).toString('base64url')}` });
  }

  update(asked: SettingsPatch): Promise<Settings> {
    return this.queue.run(async () => {
      const current = this.store.get();
      const patch = withoutMaskedSecret(asked, current);
      let next: Settings;
      try {
        next = mergeSettings(current, patch);
      } catch (err) {
        rethrowInvalid(err);
      }
      // Rules are checked against the accounts when they change (an account removed later leaves its
      // links without accounts, which the route then skips).
      if (patch.model_rules !== undefined) {
        const problems = ruleProblems(next.model_rules, this.accounts());
        if (problems.length > 0) throw new ControlError('invalid_argument', problems.map((p) => `${p.path}: ${p.message}`).join('; '));
      }
      // The same rule as at start, checked before anything is written.
      const refusal = changeRefusal(this.gateway.bindPlan(current), this.gateway.bindPlan(next), this.gateway.listening);
      if (refusal !== null) throw new ControlError('insecure_bind', refusal);
      // Authentication without a key refuses every request, Claude Code's included: a change that would
      // bring the gateway there is refused (one already there, from an older file, may be left step by step).
      if (locksOut(next) && !locksOut(current)) {
        throw new ControlError('would_lock_out', 'authentication would be on with no api_key: set or generate a key first');
      }
      const switchTrust = next.extra_ca_certs !== current.extra_ca_certs ? await this.trust?.prepare(next.extra_ca_certs) : undefined;
      const before = this.gateway.address(current);
      const after = this.gateway.address(next);
      // A new address is applied before it is saved: one the gateway cannot listen on is refused, and
      // the gateway keeps serving where it was with the settings it had.
      const moveBack = this.gateway.listening && (before.host !== after.host || before.port !== after.port) ? await this.gateway.move(after) : null;
      let settings: Settings;
      try {
        settings = await this.store.update(patch);
      } catch (err) {
        await moveBack?.();
        rethrowInvalid(err);
      }
      switchTrust?.();
      return withSecretsMasked(settings);
    });
  }
}

/** Settings as they may leave the core (the console, the CLI, the events). */
export function withSecretsMasked(s: Settings): Settings {
  const clientSecret = maskedClientSecret(s.google.client_secret);
  const redisUrl = maskedRedisUrl(s.team.redis_url);
  if (clientSecret === s.google.client_secret && redisUrl === s.team.redis_url) return s;
  return { ...s, google: { ...s.google, client_secret: clientSecret }, team: { ...s.team, redis_url: redisUrl } };
}

/** A change that sends back a masked value it was shown (a whole form saved) keeps what is set. */
function withoutMaskedSecret(patch: SettingsPatch, current: Settings): SettingsPatch {
  let kept = patch;
  const secret = current.google.client_secret;
  if (secret !== '' && patch.google?.client_secret === maskedClientSecret(secret)) {
    const google = { ...patch.google };
    delete google.client_secret;
    kept = { ...kept, google };
  }
  const redisUrl = current.team.redis_url;
  if (maskedRedisUrl(redisUrl) !== redisUrl && patch.team?.redis_url === maskedRedisUrl(redisUrl)) {
    const team = { ...patch.team };
    delete team.redis_url;
    kept = { ...kept, team };
  }
  return kept;
}
