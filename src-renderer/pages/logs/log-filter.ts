// Which request log entries the Live logs page shows, as a pure function of the filter.

import type { RequestLogEntry } from '../../../src-proxy/contract/index.js';

export const STATUS_FILTERS = ['all', 'ok', 'errors', '4xx', '5xx'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface LogFilter {
  text: string;
  status: StatusFilter;
  /** An account id, '' for every account, or NO_ACCOUNT for requests that never reached one. */
  account: string;
  /** A gateway of the team, '' for all of them (team mode). */
  instance: string;
}

export const NO_ACCOUNT = '(none)';
export const EMPTY_FILTER: LogFilter = { text: '', status: 'all', account: '', instance: '' };

function statusMatches(status: number, filter: StatusFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'ok':
      return status < 400;
    case 'errors':
      return status >= 400;
    case '4xx':
      return status >= 400 && status < 500;
    case '5xx':
      return status >= 500;
  }
}

/** Text matches the path, either model, the account, the error and each attempt's message, ignoring case. */
export function entryMatches(e: RequestLogEntry, f: LogFilter): boolean {
  if (!statusMatches(e.status, f.status)) return false;
  if (f.account === NO_ACCOUNT ? e.account_id !== null : f.account !== '' && e.account_id !== f.account) return false;
  if (f.instance !== '' && e.instance !== f.instance) return false;
  const needle = f.text.trim().toLowerCase();
  if (needle === '') return true;
  const haystack = [
    e.path,
    e.inbound_model,
    e.mapped_model,
    e.account_label,
    e.error_type,
    e.error_message,
    String(e.status),
    ...e.attempts.map((a) => a.message),
  ];
  return haystack.some((s) => s !== null && s.toLowerCase().includes(needle));
}

export function filterEntries(entries: readonly RequestLogEntry[], f: LogFilter): readonly RequestLogEntry[] {
  if (f.text.trim() === '' && f.status === 'all' && f.account === '' && f.instance === '') return entries;
  return entries.filter((e) => entryMatches(e, f));
}
