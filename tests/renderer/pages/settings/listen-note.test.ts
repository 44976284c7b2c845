import { describe, expect, it } from 'vitest';
import type { GatewayStatus } from '../../../../src-proxy/contract/index.js';
import { hostNote, portNote } from '../../../../src-renderer/pages/settings/listen-note.js';

const status = (fields: Partial<GatewayStatus>): GatewayStatus => ({
  running: true,
  host: '127.0.0.1',
  port: 8045,
  url: 'http://127.0.0.1:8045',
  started_at: 0,
  last_error: null,
  ...fields,
});

describe('the note under the saved port', () => {
  it.each([
    ['the status not read yet', null, 'Claude Code connects here. A running gateway moves at once.'],
    ['no --port: the setting is in force', status({}), 'Claude Code connects here. A running gateway moves at once.'],
    [
      'running on --port 8046',
      status({ port: 8046, override: { port: 8046 } }),
      'Listening on 8046 for this run (--port); the saved setting, 8045, applies at the next start.',
    ],
    [
      'running on a free port from --port 0',
      status({ port: 43123, override: { port: 0 } }),
      'Listening on 43123 for this run (--port); the saved setting, 8045, applies at the next start.',
    ],
    [
      'running on --port 8045, the saved port too',
      status({ override: { port: 8045 } }),
      'Listening on 8045 for this run (--port); a change saved here applies at the next start.',
    ],
    [
      'stopped, --port 8046',
      status({ running: false, port: 8046, url: null, override: { port: 8046 } }),
      'This run listens on 8046 once started (--port); the saved setting, 8045, applies at the next start.',
    ],
    [
      'stopped, --port 0',
      status({ running: false, port: 0, url: null, override: { port: 0 } }),
      'This run listens on a free port once started (--port); the saved setting, 8045, applies at the next start.',
    ],
    ['--host only', status({ override: { host: '127.0.0.1' } }), 'Claude Code connects here. A running gateway moves at once.'],
  ])('%s', (_, s, note) => {
    expect(portNote(s, 8045)).toBe(note);
  });
});

describe('the note on where this run listens, by host', () => {
  it.each([
    ['no --host', status({ override: { port: 8046 } }), null],
    [
      '--host 0.0.0.0 over a saved 127.0.0.1',
      status({ host: '0.0.0.0', override: { host: '0.0.0.0' } }),
      'Listening on 0.0.0.0 for this run (--host); the saved setting, 127.0.0.1, applies at the next start.',
    ],
    [
      '--host 127.0.0.1, the saved host too',
      status({ override: { host: '127.0.0.1' } }),
      'Listening on 127.0.0.1 for this run (--host); a change saved here applies at the next start.',
    ],
  ])('%s', (_, s, note) => {
    expect(hostNote(s, '127.0.0.1')).toBe(note);
  });
});
