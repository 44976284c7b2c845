import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { OverviewPage } from '../../../../src-renderer/pages/overview/OverviewPage.js';
import { SettingsSchema } from '../../contract.js';
import { account, createFakeControl, logEntry } from '../../fake-control.js';
import { renderWith } from '../../render.js';

const noNav = { onNavigate: () => undefined };

describe('Overview', () => {
  it('starts and stops the gateway with its switch, which says which it is, and follows status events', async () => {
    const fake = createFakeControl();
    renderWith(fake, <OverviewPage {...noNav} />);
    const toggle = await screen.findByRole('switch', { name: 'Gateway' });
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    expect(toggle.textContent).toBe('Gateway running');
    await userEvent.click(toggle);
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('false'));
    expect(toggle.textContent).toBe('Gateway stopped');
    expect(fake.calls.map(([m]) => m)).toContain('stopGateway');
    expect(screen.getByText(/stopped: requests are refused/)).toBeTruthy();
    act(() => fake.emit('status', { ...fake.state.status, running: true, url: 'http://127.0.0.1:8045' }));
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    expect(toggle.textContent).toBe('Gateway running');
  });

  describe('a banner with the one thing to do when no account can serve', () => {
    const banner = () => screen.findByRole('region', { name: /^No account|^Every account/ });

    it('with no account: add one, which opens the Accounts page', async () => {
      const pages: string[] = [];
      renderWith(createFakeControl({ accounts: [] }), <OverviewPage onNavigate={(p) => pages.push(p)} />);
      const b = await banner();
      expect(within(b).getByRole('heading').textContent).toBe('No account yet');
      await userEvent.click(within(b).getByRole('button', { name: 'Add an account' }));
      expect(pages).toEqual(['accounts']);
      expect(screen.getByText(/but no account can serve: every request fails/)).toBeTruthy();
      // One message says there is no account and what to do, not a second one beside it.
      expect(screen.queryByText(/no accounts? yet/i, { ignore: '#pool-banner-title' })).toBeNull();
      expect(screen.getAllByRole('button', { name: /add (an )?account/i })).toHaveLength(1);
    });

    it('with every key refused: fix the first, named', async () => {
      const fake = createFakeControl({
        accounts: [
          account({ label: 'zai', health: 'invalid', health_message: 'invalid api key' }),
          account({ label: 'kimi', health: 'invalid' }),
          account({ label: 'old', enabled: false }),
        ],
      });
      renderWith(fake, <OverviewPage {...noNav} />);
      const b = await banner();
      expect(b.textContent).toContain('zai and kimi were refused by the upstream, and old is switched off');
      expect(within(b).getByRole('button', { name: 'Fix zai' })).toBeTruthy();
    });

    it('with every account switched off: switch one on', async () => {
      renderWith(createFakeControl({ accounts: [account({ label: 'a', enabled: false })] }), <OverviewPage {...noNav} />);
      const b = await banner();
      expect(within(b).getByRole('heading').textContent).toBe('Every account is switched off');
      expect(b.textContent).toContain('a is disabled');
    });

    it('goes as soon as one account can serve again, a cooling one included', async () => {
      const refused = account({ label: 'zai', health: 'invalid' });
      const fake = createFakeControl({ accounts: [refused] });
      renderWith(fake, <OverviewPage {...noNav} />);
      await banner();
      const cooling = account({ label: 'kimi', cooldowns: [{ model: '*', until: Date.now() + 60_000, reason: 'rate_limit' }] });
      act(() => fake.emit('accounts', [refused, cooling]));
      await waitFor(() => expect(screen.queryByRole('region', { name: /^No account|^Every account/ })).toBeNull());
      expect(screen.queryByText(/no account can serve/)).toBeNull();
    });
  });

  it('says in words why the gateway could not start', async () => {
    const fake = createFakeControl();
    fake.state.status = { ...fake.state.status, running: false, url: null };
    fake.failNext('startGateway', 'port_in_use', 'port 8045 is in use');
    renderWith(fake, <OverviewPage {...noNav} />);
    await userEvent.click(await screen.findByRole('switch', { name: 'Gateway' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/already in use by another program/);
  });

  it('shows the Claude Code setup for this port, with the key masked until shown, and copies the real lines', async () => {
    const settings = SettingsSchema.parse({ port: 9123, auth_mode: 'strict', api_key: 'sk-sy-secretsecretsecret' });
    const fake = createFakeControl({ settings });
    fake.state.status = { ...fake.state.status, port: 9123, url: 'http://127.0.0.1:9123' };
    const user = userEvent.setup();
    renderWith(fake, <OverviewPage {...noNav} />);
    const setup = await screen.findByLabelText('Claude Code setup');
    await waitFor(() => expect(setup.textContent).toContain('ANTHROPIC_API_KEY'));
    expect(setup.textContent).toContain('export ANTHROPIC_BASE_URL=http://127.0.0.1:9123');
    expect(setup.textContent).not.toContain('secretsecret');
    await user.click(screen.getByRole('button', { name: 'Copy Claude Code setup' }));
    expect(await navigator.clipboard.readText()).toBe('export ANTHROPIC_BASE_URL=http://127.0.0.1:9123\nexport ANTHROPIC_API_KEY=sk-sy-secretsecretsecret');
    await user.click(screen.getByRole('button', { name: 'Show key' }));
    expect(setup.textContent).toContain('sk-sy-secretsecretsecret');
    await user.click(screen.getByRole('radio', { name: 'PowerShell' }));
    expect(setup.textContent).toContain('$env:ANTHROPIC_BASE_URL="http://127.0.0.1:9123"');
  });

  it('masks a key that shell quoting changes, too', async () => {
    const settings = SettingsSchema.parse({ auth_mode: 'strict', api_key: 'my "odd" $key' });
    const fake = createFakeControl({ settings });
    const user = userEvent.setup();
    renderWith(fake, <OverviewPage {...noNav} />);
    const setup = await screen.findByLabelText('Claude Code setup');
    await waitFor(() => expect(setup.textContent).toContain('ANTHROPIC_API_KEY'));
    await user.click(screen.getByRole('radio', { name: 'PowerShell' }));
    expect(setup.textContent).not.toMatch(/odd|key"/);
    await user.click(screen.getByRole('button', { name: 'Show key' }));
    expect(setup.textContent).toContain('$env:ANTHROPIC_API_KEY="my `"odd`" `$key"');
  });

  it("counts today's requests, errors and tokens, live", async () => {
    const fake = createFakeControl();
    fake.state.stats = {
      bucket: 'hour',
      buckets: [],
      totals: { requests: 10, failures: 1, input_tokens: 5000, output_tokens: 700, cost_usd: 1.2, unpriced: 0 },
    };
    renderWith(fake, <OverviewPage {...noNav} />);
    const requests = await screen.findByRole('group', { name: 'Requests' });
    await waitFor(() => expect(requests.textContent).toContain('10'));
    act(() => fake.emit('request', logEntry({ status: 529, input_tokens: 100, output_tokens: 0 })));
    expect(requests.textContent).toContain('11');
    expect(screen.getByRole('group', { name: 'Errors' }).textContent).toContain('2');
    expect(screen.getByRole('group', { name: 'Input tokens' }).textContent).toContain('5.1k');
    const cost = screen.getByRole('group', { name: 'Cost' });
    expect(cost.textContent).toContain('$1.20');
    act(() => fake.emit('request', logEntry({ cost_usd: 0.05 })));
    expect(cost.textContent).toContain('$1.25');
    act(() => fake.emit('request', logEntry({ cost_usd: null, mapped_model: 'house-model', input_tokens: 10 })));
    // The 529 above reported tokens too, and had no price either.
    expect(cost.textContent).toContain('$1.25 + 2 unpriced requests');
  });

  it('lists accounts at a glance, warnings in words, and update status only where updates are supported', async () => {
    const fake = createFakeControl({
      accounts: [
        account({ label: 'a@example.com', stats: { requests: 2 } }),
        account({ label: 'new@example.com' }),
        account({ label: 'b@example.com', enabled: false }),
      ],
      warnings: [{ code: 'settings_corrupt', file: '/d/settings.json', backup: '/d/settings.json.corrupt-1', time: 1 }],
    });
    const { unmount } = renderWith(fake, <OverviewPage {...noNav} />);
    const glance = await screen.findByRole('region', { name: 'Accounts' });
    await waitFor(() => expect(within(glance).getByText('a@example.com')).toBeTruthy());
    expect(glance.textContent).toContain('1 ready · 1 not tried yet · 0 cooling · 0 invalid · 1 disabled');
    expect(within(glance).getByText('new@example.com').nextSibling?.textContent).toContain('not tried yet');
    expect((await screen.findByRole('region', { name: 'Warnings' })).textContent).toContain(
      'settings file could not be read; defaults are in use. The old file was kept as /d/settings.json.corrupt-1',
    );
    expect(screen.queryByRole('region', { name: 'Updates' })).toBeNull();
    unmount();

    fake.state.update = {
      supported: true,
      current_version: '0.1.0',
      latest_version: '0.2.0',
      release_url: 'https://example.test/r',
      checked_at: 1,
      error: null,
    };
    renderWith(fake, <OverviewPage {...noNav} />);
    expect((await screen.findByRole('region', { name: 'Updates' })).textContent).toContain('Version 0.2.0 is available');
  });
});

describe('Overview of a team member', () => {
  const team = {
    instance: 'gw-a',
    store: 'redis://redis.internal:6379/0',
    unreachable_since: null,
    gateways: [
      { id: 'gw-a', address: 'http://127.0.0.1:8045', version: '0.1.0', started_at: 1, last_heartbeat: Date.now(), alive: true, self: true },
      { id: 'gw-b', address: 'http://10.0.0.2:8045', version: '0.1.0', started_at: 2, last_heartbeat: Date.now(), alive: true, self: false },
    ],
  };

  it('shows "Team: N gateways" with each gateway’s address, version and heartbeat', async () => {
    const fake = createFakeControl();
    fake.state.status = { ...fake.state.status, team };
    renderWith(fake, <OverviewPage {...noNav} />);
    expect(await screen.findByRole('heading', { name: 'Team: 2 gateways' })).toBeTruthy();
    const table = screen.getByRole('table', { name: 'Gateways of the team' });
    expect(within(table).getByText('http://10.0.0.2:8045')).toBeTruthy();
    expect(within(table).getByText('(this one)')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says since when the team store is unreachable, and follows it coming back', async () => {
    const fake = createFakeControl();
    fake.state.status = { ...fake.state.status, team: { ...team, unreachable_since: Date.UTC(2026, 0, 2, 3, 4, 5) } };
    renderWith(fake, <OverviewPage {...noNav} />);
    expect((await screen.findByRole('alert')).textContent).toMatch(/^team store unreachable since .+: this gateway serves from what it last knew$/);
    act(() => fake.emit('status', { ...fake.state.status, team }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('shows no team card for a gateway that runs alone', async () => {
    renderWith(createFakeControl(), <OverviewPage {...noNav} />);
    await screen.findByRole('switch', { name: 'Gateway' });
    expect(screen.queryByRole('heading', { name: /^Team:/ })).toBeNull();
  });
});
