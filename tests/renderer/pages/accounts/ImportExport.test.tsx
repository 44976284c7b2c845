import { screen, waitFor, fireEvent } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImportExport } from '../../../../src-renderer/pages/accounts/ImportExport.js';
import { account, createFakeControl } from '../../fake-control.js';
import { renderWith } from '../../render.js';

/** What the page handed the browser to download: the file's name and text. */
function catchDownloads() {
  const saved: { name: string; text: Promise<string> }[] = [];
  const blobs = new Map<string, Blob>();
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob as Blob);
    return url;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, text: blobs.get(this.href)!.text() });
  });
  return saved;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Import and export in the console', () => {
  it('downloads the export without keys, and with them only once confirmed', async () => {
    const fake = createFakeControl({ accounts: [account({ label: 'a@example.com' })] });
    const saved = catchDownloads();
    const user = userEvent.setup();
    renderWith(fake, <ImportExport />);
    await user.click(screen.getByRole('button', { name: 'Download export' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]!.name).toBe('switchyard-accounts-2026-12-06.json');
    expect(await saved[0]!.text).not.toContain('secret');
    expect(screen.getByRole('status').textContent).toBe('Downloaded 1 account as switchyard-accounts-2026-12-06.json, without keys.');

    await user.click(screen.getByLabelText(/Include keys and tokens/));
    await user.click(screen.getByRole('button', { name: 'Download with keys and tokens' }));
    // Armed, not done: nothing asked of the core yet.
    expect(fake.calls.filter(([m]) => m === 'downloadAccounts')).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(screen.getByRole('button', { name: 'Download with keys and tokens' }));
    await user.click(screen.getByRole('button', { name: 'Yes, put the keys in the file' }));
    await waitFor(() => expect(saved).toHaveLength(2));
    expect(await saved[1]!.text).toContain('sk-x');
    expect(screen.getByRole('status').textContent).toContain('with keys and tokens: keep the file private');
    expect(fake.calls.filter(([m]) => m === 'downloadAccounts').map(([, a]) => a[0])).toEqual([{ include_secrets: false }, { include_secrets: true }]);
  });

  it('imports a file picked from this machine, carrying its text to the core', async () => {
    const fake = createFakeControl();
    const user = userEvent.setup();
    renderWith(fake, <ImportExport />);
    const text = '{"format":"switchyard-accounts","version":1,"exported_at":1,"accounts":[]}';
    await user.upload(screen.getByLabelText('Export file to import'), new File([text], 'backup.json', { type: 'application/json' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe('Imported 2 accounts from backup.json; 1 skipped (already here or without a key).'),
    );
    expect(fake.calls.find(([m]) => m === 'uploadAccounts')?.[1]).toEqual([{ content: text }]);
  });

  it('imports a file dropped on it, and says plainly when a file is not an export or too large', async () => {
    const fake = createFakeControl();
    renderWith(fake, <ImportExport />);
    const zone = screen.getByText(/Drop an export file here/).parentElement!;
    fireEvent.drop(zone, { dataTransfer: { files: [new File(['hello'], 'notes.txt')] } });
    expect((await screen.findByRole('alert')).textContent).toBe('notes.txt is not a Switchyard accounts export.');
    fireEvent.drop(zone, { dataTransfer: { files: [new File(['x'.repeat(800 * 1024)], 'huge.json')] } });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('huge.json is too large to be an accounts export.'));
    expect(fake.calls.filter(([m]) => m === 'uploadAccounts')).toHaveLength(1);
    fireEvent.drop(zone, { dataTransfer: { files: [new File(['{"format":"switchyard-accounts"}'], 'ok.json')] } });
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('from ok.json'));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
