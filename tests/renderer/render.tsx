import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { ControlProvider } from '../../src-renderer/app/control-context.js';
import type { ControlClient } from '../../src-proxy/contract/index.js';

/** Renders a piece of the console with `client` as its ControlClient. */
export function renderWith(client: ControlClient, ui: ReactElement) {
  return render(<ControlProvider client={client}>{ui}</ControlProvider>);
}
