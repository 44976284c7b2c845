import { AccountSchema, type Account } from '../../../src-proxy/contract/index.js';

export function makeAccount(id: string, overrides: Partial<Account> = {}): Account {
  return AccountSchema.parse({
    id,
    provider: 'anthropic',
    label: `${id}@example.com`,
    options: { base_url: 'https://api.example.com' },
    created_at: 1_700_000_000_000,
    ...overrides,
  });
}
