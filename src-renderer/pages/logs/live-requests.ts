import { useEffect, useRef, useState } from 'react';
import type { RequestLogEntry } from '../../../src-proxy/contract/index.js';
import { useControl } from '../../app/control-context.js';
import { describeError } from '../../wording/errors.js';

/** The console keeps at most this many entries; the core's history may hold more. */
export const MAX_ENTRIES = 10_000;
/** Entries arriving together are added in one render. */
const BATCH_MS = 100;

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
    const fresh = pending.current.reverse();
    pending.current = [];
    setWaiting(0);
    setEntries((prev) => {
      const seen = new Set(fresh.map((e) => e.id));
      return [...fresh, ...prev.filter((e) => !seen.has(e.id))].slice(0, MAX_ENTRIES);
    });
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
    client.listRequests({ limit: MAX_ENTRIES }).then(
      (list) => live && setEntries((prev) => [...prev, ...list.filter((e) => !prev.some((p) => p.id === e.id))].slice(0, MAX_ENTRIES)),
      (err: unknown) => live && setError(describeError(err)),
    );
    return () => {
      live = false;
      off();
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
