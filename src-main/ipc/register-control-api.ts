// The ControlApi over IPC, main side: one `handle` per contract method, each behind the same guard: the
// calling frame must be the app's own console, the arguments must pass the method's schema (the shared
// dispatcher checks them), and the answer is a ControlResult, never a thrown error.

import { channelFor, CONTROL_METHODS, type ControlApi, type ControlResult } from '../../src-proxy/contract/index.js';
import { dispatch } from '../../src-proxy/control-api/dispatcher.js';

/** The part of an IPC invoke event the guard reads. */
export interface InvokeEventLike {
  senderFrame: { url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface RegisterOptions {
  /** True when `url` is a page of the app's own console. */
  isTrustedUrl(url: string): boolean;
  onInternalError?(err: unknown): void;
}

const FOREIGN_SENDER: ControlResult<never> = { ok: false, error: { code: 'forbidden', message: 'only the Switchyard console may call this' } };

/** Registers every method; returns a function that removes them all again. */
export function registerControlApi(ipc: IpcMainLike, api: ControlApi, { isTrustedUrl, onInternalError }: RegisterOptions): () => void {
  for (const method of CONTROL_METHODS) {
    ipc.handle(channelFor(method), async (event, ...args) => {
      // A frame that navigated away, a subframe from elsewhere, or a destroyed frame: refused.
      const url = event.senderFrame?.url;
      if (url === undefined || !isTrustedUrl(url)) return FOREIGN_SENDER;
      return dispatch(api, method, args, onInternalError);
    });
  }
  return () => {
    for (const method of CONTROL_METHODS) ipc.removeHandler(channelFor(method));
  };
}
