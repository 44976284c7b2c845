import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SettingsPage } from '../../../../src-renderer/pages/settings/SettingsPage.js';
import { SettingsSchema } from '../../contract.js';
import { account, createFakeControl } from '../../fake-control.js';
import { renderWith } from '../../render.js';

function patches(fake: ReturnType<typeof createFakeControl>) {
  return fake.calls.filter(([m]) => m === 'updateSettings').map(([, a]) => a[0]);
}

describe('Settings', () => {
  it('changes the port, and shows the schema message for a port out of range without sending it', async () => {
    const fake = createFakeControl();
    const user = userEvent.setup();
    renderWith(fake, <SettingsPage />);
    const form = await screen.findByRole('form', { name: 'Gateway address' });
    const port = within(form).getByLabelText('Port');
    await user.clear(port);
    await user.type(port, '70000');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(within(form).getByText(/65535/)).toBeTruthy();
    expect(patches(fake)).toEqual([]);
    await user.clear(port);
    await user.type(port, '9100');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    await within(form).findByRole('status');
    expect(patches(fake)).toEqual([{ port: 9100, console_port: 8046 }]);
  });

  it('names the port serve --port listens on for this run, and when the saved port applies', async () => {
    const fake = createFakeControl();
    fake.state.status = { ...fake.state.status, port: 8046, url: 'http://127.0.0.1:8046', override: { port: 8046 } };
    const user = userEvent.setup();
    renderWith(fake, <SettingsPage />);
    const form = await screen.findByRole('form', { name: 'Gateway address' });
    const port = within(form).getByLabelText('Port');
    expect(port).toHaveProperty('value', '8045');
    await within(form).findByText('Listening on 8046 for this run (--port); the saved setting, 8045, applies at the next start.');
    // A port saved now waits for the next start; the gateway stays where this run put it.
    await user.clear(port);
    await user.type(port, '9100');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    await within(form).findByRole('status');
    expect(within(form).getByText('Listening on 8046 for this run (--port); the saved setting, 9100, applies at the next start.')).toBeTruthy();
    expect(fake.state.status.port).toBe(8046);
  });

  it('refuses LAN access while authentication is off, and allows it once auth is on with a key', async () => {
    const fake = createFakeControl();
    const user = userEvent.setup();
    renderWith(fake, <SettingsPage />);
    const lan = await screen.findByRole('switch', { name: 'Allow LAN access' });
    expect(lan).toHaveProperty('disabled', true);
    expect(screen.getByText(/Turn authentication on and set an API key first/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Generate key' }));
    await waitFor(() => expect(fake.state.settings.api_key).toMatch(/^sk-sy-/));
    await user.click(screen.getByRole('radio', { name: /Strict/ }));
    await user.click(screen.getByRole('button', { name: 'Save authentication' }));
    await waitFor(() => expect(fake.state.settings.auth_mode).toBe('strict'));
    await user.click(screen.getByRole('switch', { name: 'Allow LAN access' }));
    await waitFor(() => expect(fake.state.settings.host).toBe('0.0.0.0'));
  });

  it('changes the auth mode only on Save, like every other setting, and refuses one that would lock the gateway, saying why', async () => {
    const fake = createFakeControl();
    const user = userEvent.setup();
    renderWith(fake, <SettingsPage />);
    const strict = await screen.findByRole('radio', { name: /Strict/ });
    const saveButton = screen.getByRole('button', { name: 'Save authentication' });
    expect(saveButton).toHaveProperty('disabled', true);
    await user.click(strict);
    expect(fake.calls.some(([m]) => m === 'updateSettings')).toBe(false);
    expect(screen.getByText('Not saved yet: now off.')).toBeTruthy();
    await user.click(saveButton);
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Not saved: with authentication on and no API key, the gateway would refuse every request/);
    expect(fake.calls.some(([m]) => m === 'updateSettings')).toBe(false);
    expect(fake.state.settings.auth_mode).toBe('off');
    // Off again: nothing to save.
    await user.click(screen.getByRole('radio', { name: /^Off/ }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(saveButton).toHaveProperty('disabled', true);
  });

  it('tells the core’s refusal of a lock-out in words too', async () => {
    const fake = createFakeControl({ settings: SettingsSchema.parse({ api_key: 'k' }) });
    const user = userEvent.setup();
    renderWith(fake, <SettingsPage />);
    await user.click(await screen.findByRole('radio', { name: /All except health/ }));
    fake.failNext('updateSettings', 'would_lock_out', 'authentication would be on with no api_key');
    await user.click(screen.getByRole('button', { name: 'Save authentication' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/would refuse every request, Claude Code included\. Generate a key first/);
  });

  it('folds the Google and Code Assist endpoints away, and opens them when one is refused', async () => {
    const fake = createFakeControl();
    const user = userEvent.setup();
    renderWith(fake, <SettingsPage />);
    const token = await screen.findByLabelText('Token endpoint');
    const fold = token.closest('details')!;
    expect(fold.open).toBe(false);
    expect(screen.getByLabelText('OAuth client ID').closest('details')).toBeNull();
    fold.open = true;
    await user.clear(token);
    await user.type(token, 'not a url');
    fold.open = false;
    await user.click(within(screen.getByRole('form', { name: 'Google sign-in' })).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fold.open).toBe(true));
    expect(screen.getByText('Enter a full address, such as https://api.example.com.')).toBeTruthy();
  });

  it('masks the API key until revealed, copies it, and replaces it only after confirmation', async () => {
    const fake = createFakeControl({ settings: SettingsSchema.parse({ auth_mode: 'strict', api_key: 'sk-sy-topsecretvalue' }) });
    const user = userEvent.setup();
    renderWith(fake, <SettingsPage />);
    const shown = await screen.findByTestId('api-key');
    expect(shown.textContent).not.toContain('topsecret');
    expect(document.body.textContent).not.toContain('topsecretvalue');
    await user.click(screen.getByRole('button', { name: 'Copy API key' }));
    expect(await navigator.clipboard.readText()).toBe('sk-sy-topsecretvalue');
    await user.click(screen.getByRole('button', { name: 'Reveal key' }));
    expect(shown.textContent).toBe('sk-sy-topsecretvalue');
    await user.click(screen.getByRole('button', { name: 'Generate new key' }));
    expect(fake.calls.some(([m]) => m === 'generateApiKey')).toBe(false);
    await user.click(screen.getByRole('button', { name: /Replace key/ }));
    await waitFor(() => expect(shown.textContent).toMatch(/^sk-sy-generated/));
  });

  it('edits model mapping rules in order, with the schema messages per rule', async () => {
    const fake = createFakeControl({
      settings: SettingsSchema.parse({ model_rules: [{ match: 'claude-haiku-*', provider: 'gemini', model: 'gemini-2.5-flash' }] }),
    });
    const user = userEvent.setup();
    renderWith(fake, <SettingsPage />);
    const form = await screen.findByRole('form', { name: 'Model mapping' });
    await user.click(within(form).getByRole('button', { name: 'Add rule' }));
    await user.click(within(form).getByRole('button', { name: 'Save rules' }));
    expect(within(form).getByText('This cannot be empty.')).toBeTruthy();
    expect(patches(fake)).toEqual([]);
    await user.type(within(form).getByLabelText('Rule 2 requested model'), 'claude-opus-*');
    await user.selectOptions(within(form).getByLabelText('Rule 2 target 1 provider'), 'anthropic');
    await user.click(within(form).getByRole('button', { name: 'Move rule 2 up' }));
    await user.click(within(form).getByRole('button', { name: 'Save rules' }));
    await within(form).findByRole('status');
    expect(patches(fake)).toEqual([
      {
        model_rules: [
          { match: 'claude-opus-*', provider: 'anthropic' },
          { match: 'claude-haiku-*', provider: 'gemini', model: 'gemini-2.5-flash' },
        ],
      },
    ]);
  });

  it('edits a fallback chain: adds, narrows to accounts or groups that exist, reorders and removes links', async () => {
    const fake = createFakeControl({
      settings: SettingsSchema.parse({
        model_rules: [{ match: 'claude-*', provider: 'antigravity', fallback: [{ provider: 'anthropic', accounts: ['gone'] }] }],
      }),
      accounts: [
        account({ label: 'zai', provider: 'anthropic' }),
        account({ label: 'deepseek', provider: 'anthropic', group: 'china' }),
        account({ label: 'studio', provider: 'gemini' }),
      ],
    });
    const user = userEvent.setup();
    renderWith(fake, <SettingsPage />);
    const form = await screen.findByRole('form', { name: 'Model mapping' });
    // A name no account carries any more is still shown, ticked, so it is not dropped unseen.
    expect(within(form).getByRole('checkbox', { name: 'Rule 1 target 2: account gone' })).toHaveProperty('checked', true);
    await user.click(within(form).getByRole('checkbox', { name: 'Rule 1 target 2: account gone' }));
    await user.click(within(form).getByRole('checkbox', { name: 'Rule 1 target 2: group china' }));
    // The accounts offered are those of the link's provider.
    expect(within(form).queryByRole('checkbox', { name: 'Rule 1 target 2: account studio' })).toBeNull();
    await user.click(within(form).getByRole('button', { name: 'Add fallback to rule 1' }));
    await user.selectOptions(within(form).getByLabelText('Rule 1 target 3 provider'), 'gemini');
    await user.type(within(form).getByLabelText('Rule 1 target 3 upstream model'), 'gemini-3-pro-high');
    await user.click(within(form).getByRole('button', { name: 'Move rule 1 target 3 up' }));
    await user.click(within(form).getByRole('button', { name: 'Add fallback to rule 1' }));
    await user.click(within(form).getByRole('button', { name: 'Remove rule 1 target 4' }));
    await user.click(within(form).getByRole('button', { name: 'Save rules' }));
    await within(form).findByRole('status');
    expect(patches(fake)).toEqual([
      {
        model_rules: [
          {
            match: 'claude-*',
            provider: 'antigravity',
            fallback: [
              { provider: 'gemini', model: 'gemini-3-pro-high' },
              { provider: 'anthropic', accounts: ['china'] },
            ],
          },
        ],
      },
    ]);
  });

  it('shows why the core refused a rule that names an unknown account', async () => {
    const fake = createFakeControl();
    const user = userEvent.setup();
    renderWith(fake, <SettingsPage />);
    const form = await screen.findByRole('form', { name: 'Model mapping' });
    await user.click(within(form).getByRole('button', { name: 'Add rule' }));
    await user.type(within(form).getByLabelText('Rule 1 requested model'), 'glm-*');
    fake.failNext('updateSettings', 'invalid_argument', 'model_rules.0.accounts: no anthropic account or group is named "zai"');
    await user.click(within(form).getByRole('button', { name: 'Save rules' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('no anthropic account or group is named "zai"');
  });

  it('saves the history limit, the Google OAuth client and Code Assist URLs, and says why the core refused', async () => {
    const fake = createFakeControl();
    const user = userEvent.setup();
    renderWith(fake, <SettingsPage />);
    const history = await screen.findByRole('form', { name: 'Request history' });
    await user.clear(within(history).getByLabelText('Requests kept on disk'));
    await user.type(within(history).getByLabelText('Requests kept on disk'), '500');
    await user.click(within(history).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.state.settings.log_history_limit).toBe(500));

    const google = screen.getByRole('form', { name: 'Google sign-in' });
    await user.type(within(google).getByLabelText('OAuth client ID'), 'id.apps.example');
    await user.type(within(google).getByLabelText('OAuth client secret'), 'shh');
    await user.clear(within(google).getByLabelText('Code Assist base URLs'));
    await user.type(within(google).getByLabelText('Code Assist base URLs'), 'https://a.example.test{Enter}https://b.example.test/');
    await user.click(within(google).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.state.settings.google.client_id).toBe('id.apps.example'));
    expect(fake.state.settings.antigravity.base_urls).toEqual(['https://a.example.test', 'https://b.example.test']);

    fake.failNext('updateSettings', 'insecure_bind', 'auth_mode off on 0.0.0.0');
    await user.click(within(history).getByRole('button', { name: 'Save' }));
    expect((await within(history).findByRole('alert')).textContent).toContain('only with authentication on');
  });

  it('offers the daily update check only where updates are supported', async () => {
    const fake = createFakeControl();
    const { unmount } = renderWith(fake, <SettingsPage />);
    await screen.findByRole('form', { name: 'Gateway address' });
    await waitFor(() => expect(fake.calls.some(([m]) => m === 'getUpdateStatus')).toBe(true));
    expect(screen.queryByRole('switch', { name: /new release/ })).toBeNull();
    unmount();
    fake.state.update = { ...fake.state.update, supported: true };
    renderWith(fake, <SettingsPage />);
    await userEvent.click(await screen.findByRole('switch', { name: 'Check for a new release once a day' }));
    await waitFor(() => expect(fake.state.settings.update_check).toBe(true));
  });

  it('sets the extra CA certificates file, and shows why the core refused one', async () => {
    const fake = createFakeControl();
    const user = userEvent.setup();
    renderWith(fake, <SettingsPage />);
    const form = await screen.findByRole('form', { name: 'Upstream certificates' });
    const field = within(form).getByLabelText('Extra CA certificates (PEM file)');
    fake.failNext('updateSettings', 'invalid_argument', 'extra_ca_certs: /tmp/notes.txt holds no PEM certificate');
    await user.type(field, '/tmp/notes.txt');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await within(form).findByText(/holds no PEM certificate/)).toBeTruthy();
    await user.clear(field);
    await user.type(field, '/etc/ssl/corporate-ca.pem');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    await within(form).findByRole('status');
    expect(patches(fake).at(-1)).toEqual({ extra_ca_certs: '/etc/ssl/corporate-ca.pem' });
    expect(fake.state.settings.extra_ca_certs).toBe('/etc/ssl/corporate-ca.pem');
  });
});
