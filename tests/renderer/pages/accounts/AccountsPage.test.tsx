import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { AccountsPage } from '../../../../src-renderer/pages/accounts/AccountsPage.js';
import { account, createFakeControl } from '../../fake-control.js';
import { renderWith } from '../../render.js';

const HOUR = 3_600_000;

describe('Accounts', () => {
  it('shows each account with its kind, state in words, quota bars with reset time, and usage', async () => {
    const now = Date.now();
    const fake = createFakeControl({
      accounts: [
        account({ label: 'ok@example.com', stats: { requests: 1234, failures: 2, input_tokens: 50_000, output_tokens: 9000, last_used_at: null } }),
        account({ label: 'cool@example.com', cooldowns: [{ model: 'claude-opus-4-1', until: now + 5 * 60_000, reason: 'rate_limit' }] }),
        account({ label: 'bad@example.com', provider: 'gemini', health: 'invalid', health_message: 'API key not valid. Please pass a valid API key.' }),
        account({
          label: 'g@gmail.test',
          provider: 'antigravity',
          learned: { project_id: 'p', disabled_reason: null, quota: [{ model: 'gemini-3-pro', remaining: 0.25, resets_at: now + 2 * HOUR }], updated_at: now },
        }),
      ],
    });
    renderWith(fake, <AccountsPage />);
    const ok = await screen.findByRole('listitem', { name: 'ok@example.com' });
    expect(ok.textContent).toContain('Anthropic-compatible');
    expect(ok.textContent).toContain('1,234 requests');
    expect(ok.textContent).toContain('50k in / 9k out tokens');
    expect(screen.getByRole('listitem', { name: 'cool@example.com' }).textContent).toMatch(
      /cooling until \d\d:\d\d:\d\d \(in 5 min\) for claude-opus-4-1: rate limited/,
    );
    const bad = screen.getByRole('listitem', { name: 'bad@example.com' });
    expect(bad.textContent).toContain('Gemini API');
    expect(bad.textContent).toContain('invalid: API key not valid. Please pass a valid API key.');
    const meter = within(screen.getByRole('listitem', { name: 'g@gmail.test' })).getByRole('meter', { name: 'gemini-3-pro quota left' });
    expect(meter.getAttribute('aria-valuenow')).toBe('25');
    expect(screen.getByRole('listitem', { name: 'g@gmail.test' }).textContent).toContain('25% left, resets in 2 h');
  });

  it('shows the rate-limit windows an API-key upstream reported, as remaining of the limit', async () => {
    const now = Date.now();
    const fake = createFakeControl({
      accounts: [
        account({
          label: 'key@example.com',
          learned: {
            project_id: null,
            disabled_reason: null,
            quota: [],
            rate_limits: [
              { window: 'requests', limit: 50, remaining: 5, resets_at: now + 30_000 },
              { window: 'tokens', limit: 80_000, remaining: 64_000, resets_at: now - 1000 },
              { window: 'output-tokens', limit: null, remaining: 10, resets_at: null },
            ],
            updated_at: now,
          },
        }),
      ],
    });
    renderWith(fake, <AccountsPage />);
    const card = await screen.findByRole('listitem', { name: 'key@example.com' });
    const requests = within(card).getByRole('meter', { name: 'requests left' });
    expect([requests.getAttribute('aria-valuenow'), requests.getAttribute('aria-valuemax')]).toEqual(['5', '50']);
    expect(card.textContent).toContain('5 of 50 left, resets in');
    // A window whose reset has passed is full again.
    expect(within(card).getByRole('meter', { name: 'tokens left' }).getAttribute('aria-valuenow')).toBe('80000');
    expect(within(card).queryByRole('meter', { name: 'output tokens left' })).toBeNull();
  });

  it('puts an account in a group, and takes it out', async () => {
    const fake = createFakeControl({ accounts: [account({ label: 'zai@example.com' })] });
    const user = userEvent.setup();
    renderWith(fake, <AccountsPage />);
    const form = await screen.findByRole('form', { name: 'Group of zai@example.com' });
    await user.type(within(form).getByLabelText('Group'), 'china');
    await user.click(within(form).getByRole('button', { name: 'Save group' }));
    await waitFor(() => expect(fake.state.accounts[0]!.group).toBe('china'));
    await user.clear(within(screen.getByRole('form', { name: 'Group of zai@example.com' })).getByLabelText('Group'));
    await user.click(within(screen.getByRole('form', { name: 'Group of zai@example.com' })).getByRole('button', { name: 'Save group' }));
    await waitFor(() => expect(fake.state.accounts[0]!.group).toBeNull());
  });

  it('says a new account is not tried yet, and its Test says in words whether the key works', async () => {
    const fake = createFakeControl({
      accounts: [account({ label: 'zai' }), account({ label: 'revoked' })],
      testOutcomes: { revoked: { failure: 'auth', status: 401, message: 'invalid api key' } },
    });
    const user = userEvent.setup();
    renderWith(fake, <AccountsPage />);
    const zai = await screen.findByRole('listitem', { name: 'zai' });
    expect(zai.textContent).toContain('not tried yet');
    expect(zai.textContent).not.toMatch(/\bok\b/);
    await user.click(within(zai).getByRole('button', { name: 'Test zai' }));
    const passed = await within(zai).findByRole('status', { name: 'Test of zai' });
    expect(passed.textContent).toMatch(/^Tested .+: Works: a token count for claude-haiku-4-5 answered in 230 ms\.$/);
    expect(zai.textContent).not.toContain('not tried yet');
    expect(fake.calls.filter(([m]) => m === 'testAccount')).toHaveLength(1);

    const revoked = screen.getByRole('listitem', { name: 'revoked' });
    await user.click(within(revoked).getByRole('button', { name: 'Test revoked' }));
    const failed = await within(revoked).findByRole('status', { name: 'Test of revoked' });
    expect(failed.textContent).toContain(
      'Key refused: the upstream does not accept this account\'s key. Replace the key. The upstream said (401): "invalid api key"',
    );
    expect(revoked.textContent).toContain('invalid: invalid api key');
  });

  it('enables and disables an account with its switch', async () => {
    const fake = createFakeControl({ accounts: [account({ label: 'a@example.com' })] });
    renderWith(fake, <AccountsPage />);
    const toggle = await screen.findByRole('switch', { name: 'Enabled: a@example.com' });
    await userEvent.click(toggle);
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('false'));
    expect(fake.calls.find(([m]) => m === 'updateAccount')?.[1]).toEqual([fake.state.accounts[0]!.id, { enabled: false }]);
    expect(screen.getByRole('listitem', { name: 'a@example.com' }).textContent).toContain('disabled');
  });

  it('adds an Anthropic-compatible account from a form built from its options, with the schema messages on bad input', async () => {
    const fake = createFakeControl();
    const user = userEvent.setup();
    renderWith(fake, <AccountsPage />);
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    expect(screen.getByRole('radio', { name: 'Anthropic' })).toHaveProperty('checked', true);
    await user.click(screen.getByRole('radio', { name: 'Anthropic-compatible' }));
    const form = screen.getByRole('form', { name: 'New Anthropic-compatible account' });
    await user.type(within(form).getByLabelText('Label'), 'zai@example.com');
    await user.type(within(form).getByLabelText('API key'), 'sk-upstream-1');
    await user.type(within(form).getByLabelText('Base URL'), 'not a url');
    await user.click(within(form).getByRole('button', { name: 'Add account' }));
    expect(within(form).getByText('Enter a full address, such as https://api.example.com.', { selector: 'small' })).toBeTruthy();
    expect(fake.calls.some(([m]) => m === 'addAccount')).toBe(false);

    await user.clear(within(form).getByLabelText('Base URL'));
    await user.type(within(form).getByLabelText('Base URL'), 'https://api.z.ai/api/anthropic/');
    await user.selectOptions(within(form).getByLabelText('Send the key as'), 'bearer');
    await user.click(within(form).getByLabelText(/Strip cache_control/));
    await user.click(within(form).getByRole('button', { name: 'Add account' }));
    await screen.findByRole('listitem', { name: 'zai@example.com' });
    expect(fake.calls.find(([m]) => m === 'addAccount')?.[1]).toEqual([
      {
        provider: 'anthropic',
        label: 'zai@example.com',
        api_key: 'sk-upstream-1',
        options: { base_url: 'https://api.z.ai/api/anthropic', auth_scheme: 'bearer', strip_cache_control: true, count_tokens: true },
      },
    ]);
    expect(screen.queryByRole('form', { name: 'New Anthropic-compatible account' })).toBeNull();
  });

  it.each([
    ['Anthropic', 'https://api.anthropic.com', 'x-api-key'],
    ['z.ai', 'https://api.z.ai/api/anthropic', 'bearer'],
    ['Kimi', 'https://api.moonshot.ai/anthropic', 'bearer'],
    ['DeepSeek', 'https://api.deepseek.com/anthropic', 'x-api-key'],
    ['MiniMax', 'https://api.minimax.io/anthropic', 'x-api-key'],
  ])('adds a %s account from its preset: base URL and key scheme filled in', async (provider, baseUrl, scheme) => {
    const fake = createFakeControl();
    const user = userEvent.setup();
    renderWith(fake, <AccountsPage />);
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    await user.click(screen.getByRole('radio', { name: provider }));
    const form = screen.getByRole('form', { name: `New ${provider} account` });
    expect((within(form).getByLabelText(/Base URL/) as HTMLInputElement).value).toBe(baseUrl);
    expect((within(form).getByLabelText('Send the key as') as HTMLSelectElement).value).toBe(scheme);
    await user.type(within(form).getByLabelText('Label'), `my ${provider}`);
    await user.type(within(form).getByLabelText('API key'), 'sk-1');
    await user.click(within(form).getByRole('button', { name: 'Add account' }));
    const card = await screen.findByRole('listitem', { name: `my ${provider}` });
    expect(fake.calls.find(([m]) => m === 'addAccount')?.[1]).toMatchObject([{ options: { base_url: baseUrl, auth_scheme: scheme } }]);
    // The card names the provider the preset is for.
    expect(card.textContent).toContain(`${provider} · ${baseUrl}`);
  });

  it("edits an account's label and options in place, naming a bad value beside its field, and never shows its key", async () => {
    const fake = createFakeControl({ accounts: [account({ label: 'zai' })] });
    const user = userEvent.setup();
    renderWith(fake, <AccountsPage />);
    const card = await screen.findByRole('listitem', { name: 'zai' });
    await user.click(within(card).getByRole('button', { name: 'Edit zai' }));
    const form = within(card).getByRole('form', { name: 'Edit zai' });
    expect(within(form).queryByLabelText(/API key/)).toBeNull();
    expect((within(form).getByLabelText(/Base URL/) as HTMLInputElement).value).toBe('https://api.example.test');
    await user.clear(within(form).getByLabelText(/Base URL/));
    await user.type(within(form).getByLabelText(/Base URL/), 'api.z.ai');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(
      within(form)
        .getByLabelText(/Base URL/)
        .getAttribute('aria-invalid'),
    ).toBe('true');
    expect(fake.calls.some(([m]) => m === 'updateAccount')).toBe(false);
    await user.clear(within(form).getByLabelText(/Base URL/));
    await user.type(within(form).getByLabelText(/Base URL/), 'https://api.z.ai/api/anthropic');
    await user.clear(within(form).getByLabelText('Label'));
    await user.type(within(form).getByLabelText('Label'), 'z.ai main');
    await user.selectOptions(within(form).getByLabelText('Send the key as'), 'bearer');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    const renamed = await screen.findByRole('listitem', { name: 'z.ai main' });
    expect(fake.calls.find(([m]) => m === 'updateAccount')?.[1]).toEqual([
      fake.state.accounts[0]!.id,
      { label: 'z.ai main', options: { base_url: 'https://api.z.ai/api/anthropic', auth_scheme: 'bearer', strip_cache_control: false, count_tokens: true } },
    ]);
    expect(renamed.textContent).toContain('z.ai · https://api.z.ai/api/anthropic');
    expect(within(renamed).queryByRole('form', { name: /^Edit/ })).toBeNull();
  });

  it('adds a Gemini API account with its default base URL filled in', async () => {
    const fake = createFakeControl();
    const user = userEvent.setup();
    renderWith(fake, <AccountsPage />);
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    await user.click(screen.getByRole('radio', { name: 'Gemini API' }));
    const form = screen.getByRole('form', { name: 'New Gemini API account' });
    expect((within(form).getByLabelText(/Base URL/) as HTMLInputElement).value).toBe('https://generativelanguage.googleapis.com');
    await user.type(within(form).getByLabelText('Label'), 'gem');
    await user.type(within(form).getByLabelText('API key'), 'AIza-key');
    await user.click(within(form).getByRole('button', { name: 'Add account' }));
    await screen.findByRole('listitem', { name: 'gem' });
  });

  it('signs in with Google: a terms warning, the URL opened, a pasted code finishing it', async () => {
    const fake = createFakeControl();
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    const user = userEvent.setup();
    renderWith(fake, <AccountsPage />);
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    await user.click(screen.getByRole('radio', { name: 'Google account' }));
    expect(screen.getByRole('note').textContent).toMatch(/may break Google's terms of service.*suspend.*API keys .* are the safe path/s);
    await user.click(screen.getByRole('button', { name: 'Sign in with Google' }));
    expect(open).toHaveBeenCalledWith('https://accounts.example.test/auth?x=1', '_blank', 'noopener,noreferrer');
    await user.type(screen.getByLabelText('Code or redirect URL'), '4/0Abc');
    await user.click(screen.getByRole('button', { name: 'Finish sign-in' }));
    expect((await screen.findByRole('status')).textContent).toBe('Signed in as person@gmail.test.');
    expect(fake.calls.find(([m]) => m === 'finishGoogleSignIn')?.[1]).toEqual([{ sign_in_id: expect.stringMatching(/^sign-in-/), code: '4/0Abc' }]);
  });

  it('ends the Google sign-in when the loopback redirect wins, and explains a missing OAuth client', async () => {
    const fake = createFakeControl();
    vi.spyOn(window, 'open').mockReturnValue(null);
    const user = userEvent.setup();
    renderWith(fake, <AccountsPage />);
    await user.click(screen.getByRole('button', { name: 'Add account' }));
    await user.click(screen.getByRole('radio', { name: 'Google account' }));
    fake.failNext('startGoogleSignIn', 'not_configured');
    await user.click(screen.getByRole('button', { name: 'Sign in with Google' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/needs an OAuth client.*in Settings/);

    await user.click(screen.getByRole('button', { name: 'Sign in with Google' }));
    await screen.findByLabelText('Code or redirect URL');
    const [signInId] = fake.signInsStarted;
    act(() => fake.emit('sign_in', { sign_in_id: 'someone-else', account: null, error: 'sign_in_failed' }));
    expect(screen.getByLabelText('Code or redirect URL')).toBeTruthy();
    act(() => fake.emit('sign_in', { sign_in_id: signInId!, account: account({ label: 'loop@gmail.test', provider: 'antigravity' }), error: null }));
    expect((await screen.findByRole('status')).textContent).toBe('Signed in as loop@gmail.test.');
    expect(screen.queryByLabelText('Code or redirect URL')).toBeNull();
  });

  it("replaces an API-key account's key, which the card never shows; a Google account has no key to replace", async () => {
    const fake = createFakeControl({
      accounts: [account({ label: 'k@example.com', health: 'invalid' }), account({ label: 'g@gmail.test', provider: 'antigravity' })],
    });
    const user = userEvent.setup();
    renderWith(fake, <AccountsPage />);
    const card = await screen.findByRole('listitem', { name: 'k@example.com' });
    expect(within(screen.getByRole('listitem', { name: 'g@gmail.test' })).queryByRole('button', { name: 'Replace key' })).toBeNull();
    await user.click(within(card).getByRole('button', { name: 'Replace key' }));
    const form = within(card).getByRole('form', { name: 'New API key for k@example.com' });
    await user.type(within(form).getByLabelText('New API key'), 'sk-new-key');
    await user.click(within(form).getByRole('button', { name: 'Save key' }));
    await waitFor(() => expect(within(card).queryByRole('form', { name: 'New API key for k@example.com' })).toBeNull());
    expect(fake.calls.find(([m]) => m === 'updateAccount')?.[1]).toEqual([fake.state.accounts[0]!.id, { api_key: 'sk-new-key' }]);
    expect(card.textContent).not.toContain('sk-new-key');
  });

  it('removes an account only after confirmation', async () => {
    const fake = createFakeControl({ accounts: [account({ label: 'gone@example.com' })] });
    const user = userEvent.setup();
    renderWith(fake, <AccountsPage />);
    const card = await screen.findByRole('listitem', { name: 'gone@example.com' });
    await user.click(within(card).getByRole('button', { name: 'Remove' }));
    await user.click(within(card).getByRole('button', { name: 'Cancel' }));
    expect(fake.calls.some(([m]) => m === 'removeAccount')).toBe(false);
    await user.click(within(card).getByRole('button', { name: 'Remove' }));
    await user.click(within(card).getByRole('button', { name: 'Remove gone@example.com' }));
    await waitFor(() => expect(screen.queryByRole('listitem', { name: 'gone@example.com' })).toBeNull());
  });
});
