import { describe, expect, it } from 'vitest';
import { ControlError, type ControlApi } from '../../../src-proxy/contract/index.js';
import { dispatch } from '../../../src-proxy/control-api/dispatcher.js';

/** A core whose every method answers with what the test says. */
function core(answer: (method: string, args: unknown[]) => Promise<unknown>): ControlApi {
  return new Proxy(
    {},
    {
      get:
        (_t, method: string) =>
        (...args: unknown[]) =>
          answer(method, args),
    },
  ) as ControlApi;
}

describe('dispatch', () => {
  const echo = core(async (method, args) => ({ method, args }));

  it('calls the method with its checked arguments and wraps the value', async () => {
    expect(await dispatch(echo, 'removeAccount', ['acct_1'])).toEqual({ ok: true, value: { method: 'removeAccount', args: ['acct_1'] } });
  });

  it('gives null for a method with nothing to return, so every transport can carry it', async () => {
    expect(
      await dispatch(
        core(async () => undefined),
        'clearRequests',
        [],
      ),
    ).toEqual({ ok: true, value: null });
  });

  it.each<[string, string, unknown, string]>([
    ['an unknown method', 'dropDatabase', [], 'not_found'],
    ['a method inherited from Object', 'constructor', [], 'not_found'],
    ['arguments of the wrong type', 'removeAccount', [42], 'invalid_argument'],
    ['too many arguments', 'getStatus', [1], 'invalid_argument'],
    ['arguments that are not a list', 'removeAccount', 'acct_1', 'invalid_argument'],
  ])('refuses %s with %s', async (_title, method, args, code) => {
    expect(await dispatch(echo, method, args)).toMatchObject({ ok: false, error: { code } });
  });

  it.each<[string, string, unknown[], string]>([
    ['a misspelt setting', 'updateSettings', [{ auth_mod: 'strict' }], '0.auth_mod'],
    ['a misspelt setting inside a group', 'updateSettings', [{ google: { client_idd: 'x' } }], '0.google.client_idd'],
    [
      'a misspelt field of a model rule',
      'updateSettings',
      [{ model_rules: [{ match: 'claude-*', provider: 'anthropic', modle: 'x' }] }],
      '0.model_rules.0.modle',
    ],
    ['a misspelt query field', 'listRequests', [{ limt: 5 }], '0.limt'],
    ['a misspelt account field', 'updateAccount', ['acct_1', { enabeld: false }], '1.enabeld'],
    ['a misspelt field of a new account', 'addAccount', [{ provider: 'gemini', label: 'g', api_key: 'k', lable: 'x' }], '0.lable'],
  ])('refuses %s instead of reporting success for a change it did not make', async (_title, method, args, path) => {
    const calls: string[] = [];
    const recording = core(async (m) => {
      calls.push(m);
      return null;
    });
    const result = await dispatch(recording, method, args);
    const key = path.split('.').at(-1)!;
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_argument', message: expect.stringMatching(new RegExp(`^${method}: .*${key}`)) } });
    expect(calls).toEqual([]);
  });

  it('takes every known field, defaults left out', async () => {
    const patch = { port: 8050, google: { client_id: 'id' }, model_rules: [{ match: 'claude-*', provider: 'anthropic' }] };
    expect(await dispatch(echo, 'updateSettings', [patch])).toMatchObject({ ok: true });
    expect(await dispatch(echo, 'listRequests', [{ limit: 5 }])).toMatchObject({ ok: true });
    expect(await dispatch(echo, 'updateAccount', ['acct_1', { options: { anything: 1 } }])).toMatchObject({ ok: true });
  });

  it('passes the code and words of a ControlError on', async () => {
    const failing = core(async () => {
      throw new ControlError('port_in_use', 'Port 8045 on 127.0.0.1 is already in use.');
    });
    expect(await dispatch(failing, 'startGateway', [])).toEqual({
      ok: false,
      error: { code: 'port_in_use', message: 'Port 8045 on 127.0.0.1 is already in use.' },
    });
  });

  it('says no more than "internal" about a bug, keeping its details in the core', async () => {
    const buggy = core(async () => {
      throw new TypeError('secret internals at /home/user/.config');
    });
    const reported: unknown[] = [];
    const result = await dispatch(buggy, 'getSettings', [], (err) => reported.push(err));
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'getSettings failed inside the core' } });
    expect(reported).toEqual([expect.objectContaining({ message: 'secret internals at /home/user/.config' })]);
  });
});
