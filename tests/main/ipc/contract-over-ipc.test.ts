// The control contract over IPC: the real handlers and the real preload bridge, back to back through the
// fake IPC pair, pass the same suite as the in-process dispatcher and HTTP.

import { describe } from 'vitest';
import { clientFromBridge } from '../../../src-proxy/contract/index.js';
import { forwardEvents } from '../../../src-main/ipc/forward-events.js';
import { registerControlApi } from '../../../src-main/ipc/register-control-api.js';
import { createDesktopBridge } from '../../../src-main/preload/bridge.js';
import { isAppUrl } from '../../../src-main/security/app-origin.js';
import { controlContractSuite } from '../../proxy/control-api/contract-suite.js';
import { FakeIpc, FakeWebContents } from '../helpers/fake-electron.js';

describe('over IPC', () => {
  controlContractSuite({
    name: 'IPC',
    connect: async (api, events) => {
      const ipc = new FakeIpc();
      const unregister = registerControlApi(ipc, api, { isTrustedUrl: isAppUrl });
      const window = new FakeWebContents(ipc);
      const stopEvents = forwardEvents(events, () => window);
      const client = clientFromBridge(createDesktopBridge(ipc.renderer()));
      return {
        client,
        close: async () => {
          stopEvents();
          unregister();
        },
      };
    },
  });
});
