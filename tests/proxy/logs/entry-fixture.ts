import type { RequestLogEntry } from '../../../src-proxy/contract/index.js';

export function makeEntry(id: string, time: number, overrides: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    id,
    time,
    method: 'POST',
    path: '/v1/messages',
    route: 'messages',
    inbound_model: 'claude-sonnet-4-5',
    mapped_model: 'claude-sonnet-4-5',
    provider: 'anthropic',
    account_id: 'acc-1',
    account_label: 'a@example.com',
    stream: true,
    status: 200,
    attempts: [{ account_id: 'acc-1', account_label: 'a@example.com', status: 200, failure: null, message: null, latency_ms: 12, link: 0 }],
    links: [{ provider: 'anthropic', model: 'claude-sonnet-4-5', accounts: null, outcome: 'served', reason: null, until: null }],
    notes: [],
    latency_ms: 40,
    ttfb_ms: 10,
    input_tokens: 100,
    output_tokens: 20,
    cache_read_input_tokens: null,
    cache_creation_input_tokens: null,
    stop_reason: 'end_turn',
    cost_usd: null,
    priced_as: null,
    requested_cost_usd: null,
    local: null,
    error_type: null,
    error_message: null,
    client_aborted: false,
    ...overrides,
  };
}

/** Entries e0..e(n-1) with times 1000, 1001, ... */
export function makeEntries(n: number, from = 0): RequestLogEntry[] {
  return Array.from({ length: n }, (_, i) => makeEntry(`e${from + i}`, 1000 + from + i));
}
