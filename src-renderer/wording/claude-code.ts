// The console's words for Claude Code's connection: what differs from the gateway, and what a disconnect did.

import type { ClaudeCodeDisconnectResult, ClaudeCodeDrift, ClaudeCodeStatus } from '../../src-proxy/contract/index.js';

const DRIFT_WORDS: Readonly<Record<ClaudeCodeDrift, (s: ClaudeCodeStatus) => string>> = {
  port: (s) => `It points at ${s.base_url}, but the gateway now listens at ${s.gateway_url}.`,
  key: () => 'It does not hold the gateway key: the key changed, or authentication was turned on.',
  base_url: (s) => (s.base_url === null ? 'It no longer sets the gateway address.' : `It points at ${s.base_url} instead.`),
  api_key_helper: () => "An apiKeyHelper is set in it again; Claude Code uses that helper's key instead of the gateway key.",
};

export function describeClaudeDrift(drift: ClaudeCodeDrift, status: ClaudeCodeStatus): string {
  return DRIFT_WORDS[drift](status);
}

export function describeDisconnect(r: ClaudeCodeDisconnectResult): string {
  const file = r.status.settings_file;
  switch (r.restored) {
    case 'file':
      return r.status.exists ? `Disconnected: ${file} is back as it was.` : `Disconnected: ${file} is removed again, as connect had created it.`;
    case 'keys':
      return `Disconnected. Something else changed ${file} meanwhile, so only Switchyard's keys were put back${
        r.kept.length > 0 ? `; left as they are: ${r.kept.join(', ')}` : ''
      }.`;
    case 'file_gone':
      return `${file} was removed meanwhile; there was nothing to put back.`;
    case 'not_linked':
      return `Switchyard had not connected ${file}; nothing was changed.`;
  }
}
