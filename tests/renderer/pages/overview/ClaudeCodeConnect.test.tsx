import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ClaudeCodeConnect } from '../../../../src-renderer/pages/overview/ClaudeCodeConnect.js';
import { createFakeControl } from '../../fake-control.js';
import { renderWith } from '../../render.js';

describe('Connect Claude Code', () => {
  it('connects with one click, shows the file it points, and disconnects saying what it restored', async () => {
    const fake = createFakeControl();
    const user = userEvent.setup();
    renderWith(fake, <ClaudeCodeConnect />);
    expect((await screen.findByText(/Connect writes the gateway address and key into/)).textContent).toContain('/home/user/.claude/settings.json');
    await user.click(screen.getByRole('button', { name: 'Connect Claude Code' }));
    expect(fake.calls.filter(([m]) => m === 'connectClaudeCode')).toEqual([['connectClaudeCode', [{}]]]);
    expect((await screen.findByText(/Claude Code uses this gateway/)).textContent).toContain('points at http://127.0.0.1:8045');
    await user.click(screen.getByRole('button', { name: 'Disconnect' }));
    expect((await screen.findByRole('status')).textContent).toBe('Disconnected: /home/user/.claude/settings.json is back as it was.');
    expect(screen.getByRole('button', { name: 'Connect Claude Code' })).toBeTruthy();
  });

  it('names each way a connected file drifted, and offers to connect again', async () => {
    const fake = createFakeControl();
    fake.state.claudeCode = {
      ...fake.state.claudeCode,
      linked: true,
      connected: false,
      drift: ['port', 'api_key_helper'],
      base_url: 'http://127.0.0.1:8045',
      gateway_url: 'http://127.0.0.1:9000',
    };
    renderWith(fake, <ClaudeCodeConnect />);
    expect(await screen.findByText('It points at http://127.0.0.1:8045, but the gateway now listens at http://127.0.0.1:9000.')).toBeTruthy();
    expect(screen.getByText(/An apiKeyHelper is set in it again/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Connect again' })).toBeTruthy();
  });

  it('follows a connect made elsewhere (the CLI or the tray)', async () => {
    const fake = createFakeControl();
    renderWith(fake, <ClaudeCodeConnect />);
    await screen.findByRole('button', { name: 'Connect Claude Code' });
    fake.state.claudeCode = { ...fake.state.claudeCode, connected: true, linked: true, drift: [] };
    act(() => fake.emit('claude_code', { settings_file: fake.state.claudeCode.settings_file }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Disconnect' })).toBeTruthy());
  });

  it('shows why a connect was refused', async () => {
    const fake = createFakeControl();
    fake.failNext(
      'connectClaudeCode',
      'invalid_argument',
      '/home/user/.claude/settings.json is not valid JSON (line 3, column 5). Fix it first; nothing was changed.',
    );
    renderWith(fake, <ClaudeCodeConnect />);
    await userEvent.click(await screen.findByRole('button', { name: 'Connect Claude Code' }));
    expect((await screen.findByRole('alert')).textContent).toContain('is not valid JSON (line 3, column 5)');
  });
});
