import { describe, expect, it } from 'vitest';
import { parseAvailableModels } from '../../../../src-proxy/providers/antigravity/quota.js';
import { onboardingTier, projectIdOf, validationRequired } from '../../../../src-proxy/providers/antigravity/project.js';

describe('parseAvailableModels', () => {
  it('reads the fraction left and the reset of each Gemini and Claude model, sorted by name', () => {
    const answer = {
      models: {
        'gemini-2.5-flash': { quotaInfo: { remainingFraction: 0.5, resetTime: '2030-01-01T00:00:00Z' } },
        'claude-sonnet-4-5': { quotaInfo: { resetTime: '2030-01-01T01:00:00Z' } },
        'claude-opus-4-5-thinking': { quotaInfo: { remainingFraction: 1.7 } },
        chat_20706: { quotaInfo: { remainingFraction: 1 } },
        'gemini-3-pro-preview': 'garbage',
      },
    };
    expect(parseAvailableModels(answer)).toEqual([
      { model: 'claude-opus-4-5-thinking', remaining: 1, resets_at: null },
      { model: 'claude-sonnet-4-5', remaining: 0, resets_at: Date.parse('2030-01-01T01:00:00Z') },
      { model: 'gemini-2.5-flash', remaining: 0.5, resets_at: Date.parse('2030-01-01T00:00:00Z') },
    ]);
  });

  it.each([null, 'x', {}, { models: [] }])('reads %j as no models', (answer) => {
    expect(parseAvailableModels(answer)).toEqual([]);
  });
});

describe('project setup answers', () => {
  it.each<[unknown, string | null]>([
    ['proj-1', 'proj-1'],
    [{ id: 'proj-2', name: 'x' }, 'proj-2'],
    ['', null],
    [{ name: 'x' }, null],
    [undefined, null],
  ])('projectIdOf(%j) → %s', (value, id) => {
    expect(projectIdOf(value)).toBe(id);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ allowedTiers: [{ id: 'free-tier', isDefault: true }, { id: 'standard-tier' }] }, 'free-tier'],
    [{ allowedTiers: [{ id: 'standard-tier', isDefault: true }] }, 'standard-tier'],
    [{ allowedTiers: [] }, 'legacy-tier'],
    [{}, 'legacy-tier'],
  ])('onboardingTier(%j) → %s', (load, tier) => {
    expect(onboardingTier(load)).toBe(tier);
  });

  it('asks for verification only when there is no current tier', () => {
    const ineligibleTiers = [{ reasonCode: 'VALIDATION_REQUIRED', validationUrl: 'https://example.com/verify' }];
    expect(validationRequired({ ineligibleTiers })).toMatchObject({ kind: 'forbidden', message: expect.stringContaining('https://example.com/verify') });
    expect(validationRequired({ ineligibleTiers, currentTier: { id: 'free-tier' } })).toBeNull();
    expect(validationRequired({})).toBeNull();
  });
});
