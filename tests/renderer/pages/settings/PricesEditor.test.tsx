import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SettingsPage } from '../../../../src-renderer/pages/settings/SettingsPage.js';
import { SettingsSchema } from '../../contract.js';
import { createFakeControl } from '../../fake-control.js';
import { renderWith } from '../../render.js';

const patches = (fake: ReturnType<typeof createFakeControl>) => fake.calls.filter(([m]) => m === 'updateSettings').map(([, a]) => a[0]);

describe('Settings, Prices', () => {
  it('changes a shipped price by copying its row, and saves the rows of its own', async () => {
    const fake = createFakeControl();
    const user = userEvent.setup();
    renderWith(fake, <SettingsPage />);
    const form = await screen.findByRole('form', { name: 'Prices' });
    await user.click(within(form).getByRole('button', { name: /Show the shipped list prices/ }));
    const shipped = within(form).getByRole('table', { name: 'Shipped list prices' });
    expect(within(shipped).getByText('glm-4.6*')).toBeTruthy();
    await user.click(within(shipped).getByRole('button', { name: 'Change the price of glm-4.6*' }));
    const output = within(form).getByLabelText('Price 1 output');
    await user.clear(output);
    await user.type(output, '1.9');
    await user.click(within(form).getByRole('button', { name: 'Save prices' }));
    await within(form).findByRole('status');
    expect(patches(fake)).toEqual([{ model_prices: [{ model: 'glm-4.6*', input: 0.6, output: 1.9, cache_write: 0.6, cache_read: 0.11 }] }]);
  });

  it('adds a price for a model nobody ships, saying in words what is missing first', async () => {
    const fake = createFakeControl({ settings: SettingsSchema.parse({}) });
    const user = userEvent.setup();
    renderWith(fake, <SettingsPage />);
    const form = await screen.findByRole('form', { name: 'Prices' });
    await user.click(within(form).getByRole('button', { name: 'Add price' }));
    expect(within(form).getByText('Name the upstream model (or a pattern such as glm-4.6*).')).toBeTruthy();
    await user.type(within(form).getByLabelText('Price 1 model'), 'house-model');
    expect(within(form).getByText('Input: enter a price in dollars of 0 or more.')).toBeTruthy();
    for (const [field, value] of [
      ['input', '1'],
      ['output', '2'],
      ['cache write', '0'],
      ['cache read', 'x'],
    ])
      await user.type(within(form).getByLabelText(`Price 1 ${field}`), value!);
    expect(within(form).getByText('Cache read: enter a price in dollars of 0 or more.')).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: 'Save prices' }));
    expect(patches(fake)).toEqual([]);
    await user.clear(within(form).getByLabelText('Price 1 cache read'));
    await user.type(within(form).getByLabelText('Price 1 cache read'), '0.5');
    await user.click(within(form).getByRole('button', { name: 'Save prices' }));
    await within(form).findByRole('status');
    expect(patches(fake)).toEqual([{ model_prices: [{ model: 'house-model', input: 1, output: 2, cache_write: 0, cache_read: 0.5 }] }]);
  });
});
