import { createContext, useContext, type ReactNode } from 'react';
import type { ControlClient } from '../../src-proxy/contract/index.js';

const ControlContext = createContext<ControlClient | null>(null);

/** Gives the pages their ControlClient; they never learn which transport is behind it. */
export function ControlProvider({ client, children }: { client: ControlClient; children: ReactNode }) {
  return <ControlContext.Provider value={client}>{children}</ControlContext.Provider>;
}

export function useControl(): ControlClient {
  const client = useContext(ControlContext);
  if (!client) throw new Error('useControl outside ControlProvider');
  return client;
}
