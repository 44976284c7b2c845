// What the Gateway address section says under the saved port and host when `serve --port/--host` chose
// another for this run: the console names where the gateway really listens, and when the saved setting
// applies, instead of a port the gateway is not on.

import type { GatewayStatus, Settings } from '../../../src-proxy/contract/index.js';

const PORT_HINT = 'Claude Code connects here. A running gateway moves at once.';

/** Where this run listens, set by `flag`, and when the saved setting takes over. */
function runNote(flag: '--port' | '--host', where: string | number, running: boolean, saved: string | number): string {
  const here = running ? `Listening on ${where} for this run (${flag})` : `This run listens on ${where} once started (${flag})`;
  return where === saved ? `${here}; a change saved here applies at the next start.` : `${here}; the saved setting, ${saved}, applies at the next start.`;
}

/** The note under the Port field: where this run listens when --port chose it, else what the setting does. */
export function portNote(status: GatewayStatus | null, saved: Settings['port']): string {
  const flag = status?.override?.port;
  if (!status || flag === undefined) return PORT_HINT;
  return runNote('--port', status.running ? status.port : flag === 0 ? 'a free port' : flag, status.running, saved);
}

/** Where this run listens when --host chose it; null when the host setting is the one in force. */
export function hostNote(status: GatewayStatus | null, saved: Settings['host']): string | null {
  const flag = status?.override?.host;
  if (!status || flag === undefined) return null;
  return runNote('--host', flag, status.running, saved);
}
