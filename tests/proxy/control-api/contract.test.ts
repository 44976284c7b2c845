// The control contract through the in-process dispatcher and over the headless console's HTTP API.

import { describe } from 'vitest';
import { dispatchingClient } from '../../../src-proxy/control-api/dispatcher.js';
import { createHttpControlClient } from '../../../src-proxy/contract/index.js';
import { startConsoleServer } from '../../../src-proxy/control-api/console-server.js';
import { controlContractSuite } from './contract-suite.js';

describe('in process', () => {
  controlContractSuite({
    name: 'the in-process dispatcher',
    connect: async (api, events) => ({ client: dispatchingClient(api, events), close: async () => undefined }),
  });
});

describe('over HTTP', () => {
  controlContractSuite({
    name: 'HTTP',
    connect: async (api, events) => {
      const token = 'contract-suite-token-0123456789';
      const server = await startConsoleServer({ api, events, token });
      return { client: createHttpControlClient({ baseUrl: server.url, token }), close: () => server.close() };
    },
  });
});
