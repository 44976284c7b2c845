import { describe, expect, it } from 'vitest';
import { entryMatches, EMPTY_FILTER, NO_ACCOUNT, type LogFilter } from '../../../../src-renderer/pages/logs/log-filter.js';
import { logEntry } from '../../fake-control.js';

const ok = logEntry({ account_id: 'acc-a', account_label: 'work@example.com', inbound_model: 'claude-opus-4-1', mapped_model: 'glm-4.6', instance: 'gw-a' });
const overloaded = logEntry({
  status: 529,
  account_id: 'acc-b',
  account_label: 'home@example.com',
  error_type: 'overloaded_error',
  attempts: [
    { account_id: 'acc-b', account_label: 'home@example.com', status: 529, failure: 'overloaded', message: 'Overloaded, try later', latency_ms: 30, link: 0 },
  ],
});
const refused = logEntry({ status: 401, account_id: null, account_label: null, attempts: [], error_type: 'authentication_error' });

describe('entryMatches', () => {
  const cases: Array<[string, Partial<LogFilter>, boolean, boolean, boolean]> = [
    // name, filter, ok, overloaded, refused
    ['no filter', {}, true, true, true],
    ['succeeded', { status: 'ok' }, true, false, false],
    ['failed', { status: 'errors' }, false, true, true],
    ['4xx', { status: '4xx' }, false, false, true],
    ['5xx', { status: '5xx' }, false, true, false],
    ['one account', { account: 'acc-b' }, false, true, false],
    ['no account', { account: NO_ACCOUNT }, false, false, true],
    ['text in the mapped model, any case', { text: 'GLM' }, true, false, false],
    ['text in the account label', { text: 'home@' }, false, true, false],
    ["text in an attempt's message", { text: 'try later' }, false, true, false],
    ['text in the status', { text: '401' }, false, false, true],
    ['text and status together', { text: 'example.com', status: 'ok' }, true, false, false],
    ['one gateway of the team', { instance: 'gw-a' }, true, false, false],
  ];
  it.each(cases)('%s', (_name, filter, a, b, c) => {
    const f = { ...EMPTY_FILTER, ...filter };
    expect([entryMatches(ok, f), entryMatches(overloaded, f), entryMatches(refused, f)]).toEqual([a, b, c]);
  });
});
