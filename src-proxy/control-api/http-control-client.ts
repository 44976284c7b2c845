// A ControlApi that calls a running core over HTTP. It is built from the contract's method list, so a
// method added to the contract is available here without a line changing.

import { request } from 'undici';
import { CONTROL_METHODS, ControlError, type ControlApi, type ControlResult } from '../contract/index.js';
import { CONTROL_PREFIX } from './http-control-server.js';

export function createHttpControlClient(baseUrl: string, token: string, timeoutMs = 10_000): ControlApi {
  const callMethod = async (method: string, args: unknown[]): Promise<unknown> => {
    let text: string;
    try {
      const res = await request(`${baseUrl}${CONTROL_PREFIX}${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ args }),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      text = await res.body.text();
    } catch (err) {
      throw new ControlError('internal', `cannot reach the running switchyard at ${baseUrl} (${(err as { code?: string }).code ?? String(err)})`);
    }
    let result: ControlResult<unknown>;
    try {
      result = JSON.parse(text) as ControlResult<unknown>;
    } catch {
      throw new ControlError('internal', `unexpected answer from ${baseUrl}`);
    }
    if (!result.ok) throw new ControlError(result.error.code, result.error.message);
    return result.value;
  };
  const client: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of CONTROL_METHODS) client[method] = (...args: unknown[]) => callMethod(method, args);
  return client as unknown as ControlApi;
}
