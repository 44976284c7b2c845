import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { RequestDetail } from '../../../../src-renderer/pages/logs/RequestDetail.js';
import { createFakeControl, logEntry } from '../../fake-control.js';
import { renderWith } from '../../render.js';

describe('a request’s route in its detail', () => {
  it('names the link that served and says why the others did not, then what was changed on the way', () => {
    const until = new Date(2026, 11, 7, 14, 5, 0).getTime();
    const entry = logEntry({
      status: 200,
      notes: ['thinking_dropped', 'thinking_off_tool_turn'],
      links: [
        { provider: 'antigravity', model: 'claude-sonnet-4-5', accounts: null, outcome: 'skipped', reason: 'quota', until },
        { provider: 'gemini', model: 'gemini-3-pro-high', accounts: ['studio'], outcome: 'failed', reason: 'overloaded', until: null },
        { provider: 'anthropic', model: 'claude-sonnet-4-5', accounts: null, outcome: 'served', reason: null, until: null },
        { provider: 'anthropic', model: 'glm-4.6', accounts: ['china'], outcome: 'not_reached', reason: null, until: null },
      ],
    });
    renderWith(createFakeControl(), <RequestDetail entry={entry} onClose={() => {}} />);
    const links = within(screen.getByRole('list', { name: 'Route' }))
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(links).toEqual([
      'Google account claude-sonnet-4-5 · skipped: quota used up until 14:05:00',
      'Gemini API gemini-3-pro-high (studio) · failed: upstream overloaded',
      'Anthropic-compatible claude-sonnet-4-5 · served',
      'Anthropic-compatible glm-4.6 (china) · not needed',
    ]);
    const notes = within(screen.getByRole('list', { name: 'Changed on the way' })).getAllByRole('listitem');
    expect(notes.map((n) => n.textContent)).toEqual([
      expect.stringMatching(/^Thinking another model or upstream wrote was left out/),
      expect.stringMatching(/^Thinking was off for this request/),
    ]);
  });

  it('shows no route for a rule without fallbacks, and nothing changed when nothing was', () => {
    const entry = logEntry({
      status: 200,
      links: [{ provider: 'anthropic', model: 'claude-sonnet-4-5', accounts: null, outcome: 'served', reason: null, until: null }],
    });
    renderWith(createFakeControl(), <RequestDetail entry={entry} onClose={() => {}} />);
    expect(screen.queryByRole('list', { name: 'Route' })).toBeNull();
    expect(screen.queryByRole('list', { name: 'Changed on the way' })).toBeNull();
  });
});
