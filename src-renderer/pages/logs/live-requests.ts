import { useEffect, useRef, useState } from 'react';
import type { RequestLogEntry } from '../../../src-proxy/contract/index.js';
import { useControl } from '../../app/control-context.js';
import { describeError } from '../../wording/errors.js';

/** The console keeps at most this many entries; the core's history may hold more. */
export const MAX_ENTRIES = 10_000;
/** Entries arriving together are added in one render. */
const BATCH_MS = 100;

/** Both lists as one, newest first by arrival, each entry once, at most `max`. */
export function mergeNewestFirst(a: readonly RequestLogEntry[], b: readonly RequestLogEntry[], max: number): RequestLogEntry[] {
  const byId = new Map<string, RequestLogEntry>();
  for (const e of a) byId.set(e.id, e);
  for (const e of b) byId.set(e.id, e);
  return [...byId.values()].sort((x, y) => y.time - x.time).slice(0, max);
}

/**
 * The request log, newest first: the history at first, then every request as it is answered. While
 * paused, new entries wait (and are counted) so the table holds still.
 */
export function useLiveRequests(paused: boolean) {
  const client = useControl();
  const [entries, setEntries] = useState<readonly RequestLogEntry[]>([]);
  const [waiting, setWaiting] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const pending = useRef<RequestLogEntry[]>([]);
  const pausedRef = useRef(paused);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const flush = () => {
    timer.current = null;
    if (pausedRef.current || pending.current.length === 0) return;
    const fresh = pending.current;
    pending.current = [];
    setWaiting(0);
    setEntries((prev) => mergeNewestFirst(prev, fresh, MAX_ENTRIES));
  };

  useEffect(() => {
    let live = true;
    const off = client.onEvent('request', (e) => {
      pending.current.push(e);
      // A long pause under load keeps only what the table could show anyway.
      if (pending.current.length > MAX_ENTRIES) pending.current.splice(0, pending.current.length - MAX_ENTRIES);
      if (pausedRef.current) setWaiting(pending.current.length);
      else timer.current ??= setTimeout(flush, BATCH_MS);
    });
    const loadHistory = () =>
      client.listRequests({ limit: MAX_ENTRIES }).then(
        (list) => live && setEntries((prev) => mergeNewestFirst(prev, list, MAX_ENTRIES)),
        (err: unknown) => live && setError(describeError(err)),
      );
    void loadHistory();
    // A gateway (or a whole core) that started again may have answered requests while the live
    // stream was away; its history fills them in.
    let startedAt: number | null | undefined;
    const offStatus = client.onEvent('status', (s) => {
      if (startedAt !== undefined && s.started_at !== null && s.started_at !== startedAt) void loadHistory();
      startedAt = s.started_at;
    });
    return () => {
      live = false;
      off();
      offStatus();
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
    // flush reads refs only; the subscription follows the client.
  }, [client]);

  useEffect(() => {
    pausedRef.current = paused;
    if (!paused) flush();
  }, [paused]);

  const clear = async () => {
    await client.clearRequests();
    pending.current = [];
    setWaiting(0);
    setEntries([]);
  };
  return { entries, waiting, error, clear };
}
