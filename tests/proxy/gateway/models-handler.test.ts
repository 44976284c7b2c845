import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src-proxy/anthropic/errors.js';
import type { ModelRule } from '../../../src-proxy/contract/index.js';
import { listModels, type ModelInfo, type ModelPage, type ModelSource, type OfferedModel, pageModels } from '../../../src-proxy/gateway/models-handler.js';

const rule = (match: string, provider: ModelRule['provider'] = 'anthropic', model?: string): ModelRule =>
  model === undefined ? { match, provider } : { match, provider, model };

describe('listModels', () => {
  const builtIn = listModels([]);

  it('lists the Claude models clients ask for, in the API shape', () => {
    expect(builtIn.length).toBeGreaterThan(0);
    for (const m of builtIn) {
      expect(m).toEqual({
        type: 'model',
        id: expect.stringMatching(/^claude-/),
        display_name: expect.stringMatching(/^Claude /),
        created_at: expect.any(String),
      });
      expect(m.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
      expect(Number.isNaN(Date.parse(m.created_at))).toBe(false);
    }
    expect(new Set(builtIn.map((m) => m.id)).size).toBe(builtIn.length);
  });

  it('adds every exact model id the rules name, after the built-in ones, in rule order', () => {
    const models = listModels([rule('glm-4.6'), rule('gemini-2.5-pro', 'gemini'), rule('kimi-k2', 'anthropic', 'kimi-k2-0905')]);
    expect(models.slice(0, builtIn.length)).toEqual(builtIn);
    expect(models.slice(builtIn.length)).toEqual([
      { type: 'model', id: 'glm-4.6', display_name: 'glm-4.6', created_at: expect.any(String) },
      { type: 'model', id: 'gemini-2.5-pro', display_name: 'gemini-2.5-pro', created_at: expect.any(String) },
      { type: 'model', id: 'kimi-k2', display_name: 'kimi-k2', created_at: expect.any(String) },
    ]);
  });

  it('lists the id clients send (the rule match), not the upstream model it maps to', () => {
    const ids = listModels([rule('my-alias', 'gemini', 'gemini-2.5-flash')]).map((m) => m.id);
    expect(ids).toContain('my-alias');
    expect(ids).not.toContain('gemini-2.5-flash');
  });

  it.each([['*'], ['claude-*'], ['gemini-*-pro'], ['*-haiku-*'], ['claude-opus-4-*']])('does not list the wildcard %s', (match) => {
    expect(listModels([rule(match)])).toEqual(builtIn);
  });

  it('lists an id once, however many rules name it', () => {
    const first = builtIn[0]!.id;
    const models = listModels([rule(first, 'gemini', 'gemini-2.5-pro'), rule('glm-4.6'), rule('glm-4.6', 'gemini')]);
    expect(models.map((m) => m.id).filter((id) => id === first)).toHaveLength(1);
    expect(models.map((m) => m.id).filter((id) => id === 'glm-4.6')).toHaveLength(1);
    expect(models).toHaveLength(builtIn.length + 1);
  });
});

describe('pageModels', () => {
  const MODELS: ModelInfo[] = Array.from({ length: 10 }, (_, i) => ({
    type: 'model',
    id: `m${i}`,
    display_name: `Model ${i}`,
    created_at: '2026-01-01T00:00:00Z',
  }));
  const ids = (page: ModelPage) => page.data.map((m) => m.id);
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `m${from + i}`);

  const table: Array<[string, Record<string, unknown>, string[], boolean]> = [
    ['no parameters: the first 20', {}, range(0, 10), false],
    ['limit as the query string gives it', { limit: '3' }, range(0, 3), true],
    ['limit as a number', { limit: 3 }, range(0, 3), true],
    ['limit exactly the total', { limit: '10' }, range(0, 10), false],
    ['limit 1', { limit: '1' }, ['m0'], true],
    ['limit 1000', { limit: '1000' }, range(0, 10), false],
    ['after_id', { after_id: 'm2', limit: '3' }, range(3, 6), true],
    ['after_id reaching the end', { after_id: 'm6', limit: '3' }, range(7, 10), false],
    ['after_id of the last model', { after_id: 'm9' }, [], false],
    ['before_id', { before_id: 'm5', limit: '2' }, range(3, 5), true],
    ['before_id reaching the start', { before_id: 'm2', limit: '5' }, range(0, 2), false],
    ['before_id with exactly the rest', { before_id: 'm3', limit: '3' }, range(0, 3), false],
    ['before_id of the first model', { before_id: 'm0' }, [], false],
    ['after_id and before_id, room for all', { after_id: 'm1', before_id: 'm6', limit: '10' }, range(2, 6), false],
    ['after_id and before_id, more between', { after_id: 'm1', before_id: 'm8', limit: '2' }, range(6, 8), true],
  ];

  it.each(table)('%s', (_name, query, expected, hasMore) => {
    const page = pageModels(MODELS, query);
    expect(page).toEqual({
      object: 'list',
      data: MODELS.filter((m) => expected.includes(m.id)),
      has_more: hasMore,
      first_id: expected[0] ?? null,
      last_id: expected.at(-1) ?? null,
    });
  });

  it('walks forward the way the SDK does: after_id = last_id while has_more', () => {
    const seen: string[] = [];
    let query: Record<string, unknown> = { limit: '3' };
    for (let guard = 0; guard < 20; guard++) {
      const page = pageModels(MODELS, query);
      seen.push(...ids(page));
      if (!page.has_more) break;
      query = { limit: '3', after_id: page.last_id };
    }
    expect(seen).toEqual(range(0, 10));
  });

  it('walks backward the way the SDK does: before_id = first_id while has_more', () => {
    const seen: string[] = [];
    let query: Record<string, unknown> = { limit: '3', before_id: 'm9' };
    for (let guard = 0; guard < 20; guard++) {
      const page = pageModels(MODELS, query);
      seen.unshift(...ids(page));
      if (!page.has_more) break;
      query = { limit: '3', before_id: page.first_id };
    }
    expect(seen).toEqual(range(0, 9));
  });

  it('an empty list is one empty page', () => {
    expect(pageModels([], {})).toEqual({ object: 'list', data: [], has_more: false, first_id: null, last_id: null });
  });

  it('pages the real model list', () => {
    const all = listModels([rule('glm-4.6')]);
    const page = pageModels(all, { limit: '2' });
    expect(page.data).toEqual(all.slice(0, 2));
    expect(page.has_more).toBe(true);
  });

  it.each<[string, unknown]>([
    ['0', '0'],
    ['1001', '1001'],
    ['negative', '-1'],
    ['a fraction', '1.5'],
    ['not a number', 'abc'],
    ['empty', ''],
    ['a number 0', 0],
  ])('rejects limit %s with a 400', (_name, limit) => {
    let thrown: unknown;
    try {
      pageModels(MODELS, { limit });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect(thrown).toMatchObject({ status: 400, type: 'invalid_request_error', message: 'limit: Input should be an integer between 1 and 1000' });
  });
});

/** A model source from a test's terms: which providers have an account, and what accounts report. */
function source(canServe: (p: ModelRule['provider']) => boolean, offered: OfferedModel[] = []): ModelSource {
  return {
    serves: (link) => canServe(link.provider),
    offered: (link) => {
      const own = offered.filter((o) => o.provider === link.provider).map((o) => o.model);
      return own.length > 0 ? own : null;
    },
    allOffered: () => offered,
  };
}

describe('listModels: only what the accounts can serve', () => {
  const rule = (match: string, provider: ModelRule['provider'], model?: string): ModelRule => ({ match, provider, ...(model ? { model } : {}) });

  it('lists nothing when no provider has an account', () => {
    expect(
      listModels(
        [rule('my-alias', 'gemini')],
        source(() => false),
      ),
    ).toEqual([]);
  });

  it('lists the Claude models whose route leads to a provider with an account, and the rules to such providers', () => {
    const rules = [rule('claude-haiku-*', 'gemini', 'gemini-2.5-flash'), rule('glm-4.6', 'anthropic'), rule('gemini-3-pro', 'gemini')];
    const ids = listModels(
      rules,
      source((p) => p === 'anthropic'),
    ).map((m) => m.id);
    expect(ids).toContain('claude-sonnet-4-6');
    expect(ids).not.toContain('claude-haiku-4-5-20251001');
    expect(ids).toContain('glm-4.6');
    expect(ids).not.toContain('gemini-3-pro');
  });

  it('lists a model a fallback link can serve when the first link has no account', () => {
    const chain: ModelRule[] = [{ match: 'claude-*', provider: 'antigravity', fallback: [{ provider: 'gemini', model: 'gemini-2.5-flash' }] }];
    expect(
      listModels(
        chain,
        source((p) => p === 'gemini'),
      ).map((m) => m.id),
    ).toContain('claude-opus-4-6');
    expect(
      listModels(
        chain,
        source(() => false),
      ),
    ).toEqual([]);
  });

  it('never lists an id of another family sent as it is to the Gemini API, which does not serve it', () => {
    expect(
      listModels(
        [rule('claude-*', 'gemini'), rule('glm-4.6', 'gemini'), rule('gemini-2.5-pro', 'gemini'), rule('my-gemma', 'gemini', 'gemma-3-27b-it')],
        source(() => true),
      ).map((m) => m.id),
    ).toEqual(['gemini-2.5-pro', 'my-gemma']);
  });
});

describe('listModels: what the accounts offer', () => {
  const offered = [
    { provider: 'antigravity' as const, model: 'gemini-3-pro-preview' },
    { provider: 'antigravity' as const, model: 'claude-sonnet-4-5-thinking' },
    { provider: 'antigravity' as const, model: 'claude-opus-4-6-thinking' },
  ];
  const ids = (models: ModelInfo[]) => models.map((m) => m.id);
  const rules = [rule('gemini-*', 'antigravity'), rule('claude-*', 'antigravity')];

  it('lists what the accounts offer, and the plain id of a variant offered alone, which it serves', () => {
    expect(
      ids(
        listModels(
          rules,
          source(() => true, offered),
        ),
      ),
    ).toEqual(['claude-opus-4-6', 'gemini-3-pro-preview', 'claude-sonnet-4-5-thinking', 'claude-sonnet-4-5', 'claude-opus-4-6-thinking']);
  });

  it('leaves out a Claude model the accounts of its route do not offer', () => {
    const listed = ids(
      listModels(
        rules,
        source(() => true, offered),
      ),
    );
    expect(listed).not.toContain('claude-haiku-4-5-20251001');
    expect(listed).not.toContain('claude-opus-4-1-20250805');
  });

  it('leaves out an offered id that routes elsewhere, or to a provider that cannot serve', () => {
    expect(
      ids(
        listModels(
          [],
          source((p) => p === 'anthropic', offered),
        ),
      ),
    ).not.toContain('gemini-3-pro-preview');
    expect(
      ids(
        listModels(
          [rule('gemini-*', 'antigravity')],
          source((p) => p !== 'antigravity', offered),
        ),
      ),
    ).not.toContain('gemini-3-pro-preview');
  });
});
