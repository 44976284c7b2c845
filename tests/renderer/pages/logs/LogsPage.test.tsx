import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { LogsPage } from '../../../../src-renderer/pages/logs/LogsPage.js';
import { account, createFakeControl, logEntry } from '../../fake-control.js';
import { renderWith } from '../../render.js';

function dataRows() {
  return within(screen.getByRole('table', { name: 'Requests' }))
    .getAllByRole('row')
    .filter((r) => r.getAttribute('aria-rowindex') !== '1');
}

/** The text of a row's cell under the column headed `title`. */
function cellText(row: HTMLElement, title: string): string | null {
  const headers = within(screen.getByRole('table', { name: 'Requests' })).getAllByRole('columnheader');
  const at = headers.findIndex((h) => h.textContent === title);
  if (at < 0) throw new Error(`no column ${title}`);
  return within(row).getAllByRole('cell')[at]!.textContent;
}

/** Lets the page's batching timer run. */
async function settle() {
  await act(() => new Promise((r) => setTimeout(r, 150)));
}

describe('Live logs', () => {
  it('shows the history, then each request as it is answered, newest first, with inbound → mapped model and account', async () => {
    const fake = createFakeControl({ requests: [logEntry({ id: 'old', path: '/v1/messages/count_tokens', time: 1000 })] });
    renderWith(fake, <LogsPage />);
    await waitFor(() => expect(dataRows()).toHaveLength(1));
    act(() =>
      fake.emit('request', logEntry({ id: 'new', inbound_model: 'claude-opus-4-1', mapped_model: 'glm-4.6', account_label: 'zai@example.com', status: 200 })),
    );
    await settle();
    const [first, second] = dataRows();
    expect(first!.textContent).toContain('claude-opus-4-1 → glm-4.6');
    expect(first!.textContent).toContain('zai@example.com');
    expect(second!.textContent).toContain('/v1/messages/count_tokens');
  });

  it('fills in, from the history, requests answered while the live stream was away (a restarted core)', async () => {
    const fake = createFakeControl({ requests: [logEntry({ id: 'before', time: 1000 })] });
    renderWith(fake, <LogsPage />);
    await waitFor(() => expect(dataRows()).toHaveLength(1));
    act(() => fake.emit('status', { ...fake.state.status, started_at: 5 }));
    fake.state.requests = [logEntry({ id: 'missed', time: 3000, path: '/v1/messages/count_tokens' }), logEntry({ id: 'before', time: 1000 })];
    act(() => fake.emit('status', { ...fake.state.status, started_at: 7 }));
    await waitFor(() => expect(dataRows()).toHaveLength(2));
    expect(dataRows()[0]!.textContent).toContain('/v1/messages/count_tokens');
  });

  it('filters by text, status and account', async () => {
    const a = account({ label: 'a@example.com' });
    const b = account({ label: 'b@example.com' });
    const fake = createFakeControl({
      accounts: [a, b],
      requests: [
        logEntry({ account_id: a.id, account_label: a.label, status: 200, mapped_model: 'glm-4.6' }),
        logEntry({ account_id: b.id, account_label: b.label, status: 529 }),
        logEntry({ account_id: null, account_label: null, status: 401, attempts: [] }),
      ],
    });
    const user = userEvent.setup();
    renderWith(fake, <LogsPage />);
    await waitFor(() => expect(dataRows()).toHaveLength(3));
    await user.selectOptions(screen.getByLabelText('Filter by status'), 'errors');
    expect(dataRows()).toHaveLength(2);
    await user.selectOptions(await screen.findByLabelText('Filter by account'), b.id);
    expect(dataRows()).toHaveLength(1);
    expect(dataRows()[0]!.textContent).toContain('529');
    await user.selectOptions(screen.getByLabelText('Filter by account'), '');
    await user.selectOptions(screen.getByLabelText('Filter by status'), 'all');
    await user.type(screen.getByLabelText('Filter by text'), 'glm');
    expect(dataRows()).toHaveLength(1);
    expect(screen.getByText(/1 shown of 3 · 2 failed/)).toBeTruthy();
  });

  it('holds still while paused, counting what waits, and shows it on resume', async () => {
    const fake = createFakeControl();
    const user = userEvent.setup();
    renderWith(fake, <LogsPage />);
    await user.click(screen.getByRole('button', { name: 'Pause' }));
    act(() => {
      fake.emit('request', logEntry());
      fake.emit('request', logEntry());
    });
    await settle();
    expect(screen.queryAllByRole('row')).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Resume (2 new)' }));
    await waitFor(() => expect(dataRows()).toHaveLength(2));
  });

  it('keeps at most 10,000 entries waiting through a long pause', async () => {
    const fake = createFakeControl();
    const user = userEvent.setup();
    renderWith(fake, <LogsPage />);
    await user.click(screen.getByRole('button', { name: 'Pause' }));
    act(() => {
      for (let i = 0; i < 10_050; i++) fake.emit('request', logEntry({ id: `p${i}` }));
    });
    await user.click(screen.getByRole('button', { name: 'Resume (10,000 new)' }));
    await waitFor(() => expect(screen.getByText(/10,000 shown of 10,000/)).toBeTruthy());
  });

  it('says plainly when a failed request has no first byte and no token counts', async () => {
    const fake = createFakeControl({ requests: [logEntry({ status: 502, latency_ms: 6, ttfb_ms: null, input_tokens: null, output_tokens: null })] });
    const user = userEvent.setup();
    renderWith(fake, <LogsPage />);
    await waitFor(() => expect(dataRows()).toHaveLength(1));
    await user.click(dataRows()[0]!);
    const detail = screen.getByRole('complementary', { name: 'Request detail' });
    expect(detail.textContent).toContain('Latency6 ms total');
    expect(detail.textContent).not.toContain('first byte after');
    expect(detail.textContent).toContain('Tokensnone reported');
  });

  it("opens a request's detail with each attempt's failure in words", async () => {
    const fake = createFakeControl({
      requests: [
        logEntry({
          status: 200,
          account_label: 'second@example.com',
          attempts: [
            { account_id: 'x', account_label: 'first@example.com', status: 429, failure: 'rate_limit', message: 'Too many requests', latency_ms: 40, link: 0 },
            { account_id: 'y', account_label: 'second@example.com', status: 200, failure: null, message: null, latency_ms: 400, link: 0 },
          ],
        }),
      ],
    });
    const user = userEvent.setup();
    renderWith(fake, <LogsPage />);
    await waitFor(() => expect(dataRows()).toHaveLength(1));
    expect(dataRows()[0]!.textContent).toContain('2 (1 failed)');
    await user.click(dataRows()[0]!);
    const detail = screen.getByRole('complementary', { name: 'Request detail' });
    expect(detail.textContent).toContain('first@example.com · 429 · 40 ms · rate limited: Too many requests');
    expect(detail.textContent).toContain('second@example.com · 200 · 400 ms · served');
    await user.click(within(detail).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('complementary', { name: 'Request detail' })).toBeNull();
  });

  it('shows what each request cost, "no price" for a model without one, and the price and the requested model in the detail', async () => {
    const fake = createFakeControl({
      requests: [
        logEntry({
          id: 'priced',
          time: 2000,
          inbound_model: 'claude-opus-4-5',
          mapped_model: 'glm-4.6',
          cost_usd: 0.0123,
          priced_as: 'glm-4.6*',
          requested_cost_usd: 0.105,
        }),
        logEntry({ id: 'unpriced', time: 1000, mapped_model: 'house-model', cost_usd: null, input_tokens: 40, output_tokens: 2 }),
      ],
    });
    const user = userEvent.setup();
    renderWith(fake, <LogsPage />);
    await waitFor(() => expect(dataRows()).toHaveLength(2));
    expect(dataRows().map((r) => cellText(r, 'Cost'))).toEqual(['$0.012', 'no price']);
    await user.click(dataRows()[0]!);
    const detail = screen.getByRole('complementary', { name: 'Request detail' });
    expect(detail.textContent).toContain('Cost$0.012 at the price of glm-4.6* ($0.60 in, $2.20 out, $0.60 cache write, $0.11 cache read per million tokens)');
    expect(detail.textContent).toContain('$0.11 at the list price of the requested claude-opus-4-5');
    await user.click(dataRows()[1]!);
    expect(screen.getByRole('complementary', { name: 'Request detail' }).textContent).toContain('no price for house-model: add one in Settings, Prices');
  });

  it("has an error column: the answer's error, or the failure a served request got past", async () => {
    const fake = createFakeControl({
      requests: [
        logEntry({ id: 'ok', time: 3000, status: 200 }),
        logEntry({
          id: 'retried',
          time: 2000,
          status: 200,
          attempts: [
            { account_id: 'x', account_label: 'first@example.com', status: 429, failure: 'rate_limit', message: 'Too many requests', latency_ms: 40, link: 0 },
            { account_id: 'y', account_label: 'second@example.com', status: 200, failure: null, message: null, latency_ms: 400, link: 0 },
          ],
        }),
        logEntry({ id: 'failed', time: 1000, status: 529, error_type: 'overloaded_error', error_message: 'Every account is overloaded.' }),
      ],
    });
    renderWith(fake, <LogsPage />);
    await waitFor(() => expect(dataRows()).toHaveLength(3));
    expect(dataRows().map((r) => cellText(r, 'Error'))).toEqual(['–', 'served after: rate limited', 'Every account is overloaded.']);
    const failedCell = within(dataRows()[2]!).getByText('Every account is overloaded.');
    expect(failedCell.getAttribute('title')).toBe('Every account is overloaded.');
  });

  it('shows times to the second, with the date on hover and in the detail', async () => {
    const time = new Date(2026, 11, 6, 9, 5, 7).getTime();
    const fake = createFakeControl({ requests: [logEntry({ time })] });
    const user = userEvent.setup();
    renderWith(fake, <LogsPage />);
    await waitFor(() => expect(dataRows()).toHaveLength(1));
    const cell = within(dataRows()[0]!).getByText('09:05:07');
    expect(cell.getAttribute('title')).toBe('2026-12-06 09:05:07');
    await user.click(dataRows()[0]!);
    expect(screen.getByRole('complementary', { name: 'Request detail' }).textContent).toContain('Time2026-12-06 09:05:07');
  });

  it('clears the log only after confirmation', async () => {
    const fake = createFakeControl({ requests: [logEntry()] });
    const user = userEvent.setup();
    renderWith(fake, <LogsPage />);
    await waitFor(() => expect(dataRows()).toHaveLength(1));
    await user.click(screen.getByRole('button', { name: 'Clear' }));
    expect(fake.calls.some(([m]) => m === 'clearRequests')).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Clear the request log' }));
    await waitFor(() => expect(screen.queryAllByRole('row')).toHaveLength(1));
    expect(fake.calls.some(([m]) => m === 'clearRequests')).toBe(true);
  });

  it('keeps only the rows in view in the page with 10,000 entries, and moves the selection with the arrow keys', async () => {
    const requests = Array.from({ length: 10_000 }, (_, i) => logEntry({ id: `r${i}`, time: 1_000_000 - i, path: `/v1/messages?n=${i}` }));
    const fake = createFakeControl({ requests });
    const user = userEvent.setup();
    renderWith(fake, <LogsPage />);
    await waitFor(() => expect(screen.getByText(/10,000 shown of 10,000/)).toBeTruthy());
    expect(dataRows().length).toBeLessThan(60);
    expect(screen.getByRole('table', { name: 'Requests' }).getAttribute('aria-rowcount')).toBe('10001');
    await user.click(dataRows()[0]!);
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(screen.getByRole('complementary', { name: 'Request detail' }).textContent).toContain('/v1/messages?n=2');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('complementary', { name: 'Request detail' })).toBeNull();
  });
});
