import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { StatsPage } from '../../../../src-renderer/pages/stats/StatsPage.js';
import { account, createFakeControl } from '../../fake-control.js';
import { renderWith } from '../../render.js';

describe('Stats', () => {
  it('charts requests and tokens per account by hour, and per model or by day on request', async () => {
    const a = account({ label: 'work@example.com' });
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const fake = createFakeControl({ accounts: [a] });
    fake.state.stats = {
      bucket: 'hour',
      buckets: [
        { start: hour, account_id: a.id, model: 'glm-4.6', requests: 12, failures: 1, input_tokens: 3000, output_tokens: 500, cost_usd: 0.0029, unpriced: 0 },
        { start: hour, account_id: null, model: 'claude-opus-4-1', requests: 3, failures: 3, input_tokens: 0, output_tokens: 0, cost_usd: 0, unpriced: 0 },
      ],
      totals: { requests: 15, failures: 4, input_tokens: 3000, output_tokens: 500, cost_usd: 0.0029, unpriced: 0 },
    };
    const user = userEvent.setup();
    renderWith(fake, <StatsPage />);
    const requests = await screen.findByRole('img', { name: /^Requests per hour, by account/ });
    expect(requests.getAttribute('aria-label')).toBe('Requests per hour, by account: work@example.com 12, no account (refused) 3');
    expect(screen.getByRole('img', { name: /^Tokens \(input \+ output\) per hour, by account/ }).getAttribute('aria-label')).toContain('work@example.com 3500');
    expect(screen.getByLabelText('Totals').textContent).toContain('15 requests · 4 failed · 3k input and 500 output tokens · $0.0029 in this period');
    expect(fake.calls.find(([m]) => m === 'getStats')?.[1]).toEqual([{ bucket: 'hour', since: expect.any(Number) }]);

    await user.click(screen.getByRole('radio', { name: 'Per model' }));
    expect(screen.getByRole('img', { name: /^Requests per hour, by model/ }).getAttribute('aria-label')).toContain('glm-4.6 12, claude-opus-4-1 3');

    await user.click(screen.getByRole('radio', { name: 'Last 30 days, by day' }));
    await waitFor(() => expect(fake.calls.filter(([m]) => m === 'getStats').at(-1)?.[1]).toEqual([{ bucket: 'day', since: expect.any(Number) }]));
    await screen.findByRole('img', { name: /^Requests per day, by model/ });
  });

  it('shows cost per day, account and model, and "no price" where a model has none', async () => {
    const a = account({ label: 'work@example.com' });
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const fake = createFakeControl({ accounts: [a] });
    const zero = { failures: 0, input_tokens: 1000, output_tokens: 100 };
    fake.state.stats = {
      bucket: 'hour',
      buckets: [
        { start: hour, account_id: a.id, model: 'glm-4.6', requests: 2, ...zero, cost_usd: 1.5, unpriced: 0 },
        { start: hour - 3_600_000, account_id: a.id, model: 'glm-4.6', requests: 1, ...zero, cost_usd: 0.25, unpriced: 0 },
        { start: hour, account_id: a.id, model: 'house-model', requests: 4, ...zero, cost_usd: 0, unpriced: 4 },
      ],
      totals: { requests: 7, failures: 0, input_tokens: 3000, output_tokens: 300, cost_usd: 1.75, unpriced: 4 },
    };
    renderWith(fake, <StatsPage />);
    const table = await screen.findByRole('table');
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((r) =>
        within(r)
          .getAllByRole('cell')
          .slice(1)
          .map((c) => c.textContent),
      );
    // The two glm hours fall in one day unless this runs just after midnight.
    expect(rows.find((r) => r[1] === 'glm-4.6')?.[0]).toBe('work@example.com');
    expect(rows.find((r) => r[1] === 'house-model')).toEqual(['work@example.com', 'house-model', '4', '1.1k', 'no price']);
    expect(screen.getByLabelText('Totals').textContent).toContain('$1.75 + 4 unpriced requests');
    expect(screen.getByRole('img', { name: /^Cost \(US\$\) per hour, by account/ }).getAttribute('aria-label')).toContain('work@example.com 1.75');
  });

  it('says when there is nothing to chart yet', async () => {
    renderWith(createFakeControl(), <StatsPage />);
    expect((await screen.findAllByText('Nothing in this period yet.')).length).toBe(4);
  });
});
