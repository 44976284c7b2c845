// Reading and changing settings. Changes run one at a time, each checked against the settings it
// replaces, so two changes that are each safe alone (host 0.0.0.0, auth_mode off) cannot both pass; a
// new listen address moves the listener first and is saved only once it listens, and a new CA file is
// read and checked before it is kept.

import { randomBytes } from 'node:crypto';
import { ControlError, type Account, type Settings, type SettingsPatch } from '../contract/index.js';
import { ruleProblems } from '../routing/rule-validation.js';
import { SerialQueue } from '../lib/serial-queue.js';
import { mergeSettings, type SettingsStore } from '../settings/settings-store.js';
import { changeRefusal } from './bind-policy.js';
import type { GatewayControl } from './gateway-control.js';
import { rethrowInvalid } from './parse-args.js';

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
    return this.store.get();
  }

  /** A fresh key: 32 random bytes, URL-safe, with a prefix that says what it is when it turns up somewhere. */
  generateApiKey(): Promise<Settings> {
    return this.update({ api_key: `sk-sy-${randomBytes(32).toString('base64url')}` });
  }

  update(patch: SettingsPatch): Promise<Settings> {
    return this.queue.run(async () => {
      const current = this.store.get();
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
      return settings;
    });
  }
}
