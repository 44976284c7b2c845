// The core's state the pages share (status, settings, accounts, warnings), loaded once and kept current
// by the live events.

import { useCallback, useEffect, useState } from 'react';
import type { ControlEventName, ControlEvents } from '../../src-proxy/contract/index.js';
import { describeError } from '../wording/errors.js';
import { useControl } from './control-context.js';

export interface Live<T> {
  value: T | null;
  /** Why the first load failed, in words. */
  error: string | null;
  /** Takes a fresher value (e.g. the answer of an update) before its event arrives. */
  set(value: T): void;
}

/** A value read with `load` and replaced by every `event` after that. */
export function useLiveValue<K extends ControlEventName>(event: K, load: () => Promise<ControlEvents[K]>): Live<ControlEvents[K]> {
  const client = useControl();
  const [value, setValue] = useState<ControlEvents[K] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    let fromEvent = false;
    const off = client.onEvent(event, (payload) => {
      fromEvent = true;
      setValue(payload);
      setError(null);
    });
    load().then(
      (v) => live && !fromEvent && setValue(v),
      (err: unknown) => live && setError(describeError(err)),
    );
    return () => {
      live = false;
      off();
    };
    // `load` is a fresh closure each render; the subscription depends on the client and the event only.
  }, [client, event]);
  const set = useCallback((v: ControlEvents[K]) => setValue(v), []);
  return { value, error, set };
}

export function useStatus() {
  const client = useControl();
  return useLiveValue('status', () => client.getStatus());
}

export function useSettings() {
  const client = useControl();
  return useLiveValue('settings', () => client.getSettings());
}

export function useAccounts() {
  const client = useControl();
  return useLiveValue('accounts', () => client.listAccounts());
}

/** An action's state: run it, see it busy, and its error in words. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async <T>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (err) {
      setError(describeError(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
