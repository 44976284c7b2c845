// One rule for where the gateway may listen: beyond loopback only with authentication on. It is applied
// when the listener starts and at every settings change, against the address that is (or would be) in
// effect, so neither `config set auth_mode off` nor `config set host 0.0.0.0` can open the gateway to the
// network without a key.

import type { AuthMode } from '../contract/index.js';
import { isLoopbackBind } from '../gateway/host-guard.js';

/** What decides whether a listener is safe: where it listens, and whether it asks for a key. */
export interface BindPlan {
  /** The effective listen host: `serve --host` when given, else the host setting. */
  host: string;
  /** The host comes from `serve --host`, so changing the host setting would not move it. */
  fromOverride: boolean;
  auth_mode: AuthMode;
  api_key: string;
}

/** Authentication that actually asks for a key. An empty api_key counts as off, as it does at start. */
export function authRequired(plan: Pick<BindPlan, 'auth_mode' | 'api_key'>): boolean {
  return plan.auth_mode !== 'off' && plan.api_key !== '';
}

/** The gateway would answer anyone who can reach it, without a key. */
export function exposedWithoutAuth(plan: BindPlan): boolean {
  return !isLoopbackBind(plan.host) && !authRequired(plan);
}

function describeHost(plan: BindPlan): string {
  const notes: string[] = [];
  if (plan.host === '0.0.0.0' || plan.host === '::' || plan.host === '[::]') notes.push('all interfaces');
  if (plan.fromOverride) notes.push('from serve --host');
  return notes.length ? `${plan.host} (${notes.join(', ')})` : plan.host;
}

const RISK = 'anyone on the network could use your upstream accounts without a key';
const TURN_AUTH_ON = 'set api_key, then auth_mode strict (or all-except-health)';

function backToLoopback(plan: BindPlan, serveVerb: 'run' | 'restart'): string {
  return plan.fromOverride ? `${serveVerb} serve with --host 127.0.0.1` : 'set host to 127.0.0.1';
}

/** At start: null, or why the gateway must not listen with these settings. */
export function startRefusal(plan: BindPlan): string | null {
  if (!exposedWithoutAuth(plan)) return null;
  return `Refusing to listen on ${describeHost(plan)} without authentication: ${RISK}. First ${TURN_AUTH_ON}, or ${backToLoopback(plan, 'run')}.`;
}

/**
 * At a change from `before` to `after`: null, or why the change is refused. Settings that were already
 * exposed before the change (written by hand or by an older version) cannot be listening, since start
 * refuses them, so while the gateway is stopped they may be fixed one setting at a time; otherwise the
 * user could not set api_key before auth_mode.
 */
export function changeRefusal(before: BindPlan, after: BindPlan, listening: boolean): string | null {
  if (!exposedWithoutAuth(after)) return null;
  if (exposedWithoutAuth(before) && !listening) return null;
  if (after.host !== before.host) {
    return `Refusing to listen on ${describeHost(after)} without authentication: ${RISK}. First ${TURN_AUTH_ON}, then change host.`;
  }
  const what = after.auth_mode === 'off' ? 'turn authentication off' : 'clear api_key';
  return `Refusing to ${what}: the gateway's listen address is ${describeHost(after)}, so ${RISK}. Keep authentication on, or first ${backToLoopback(after, 'restart')}.`;
}
