// Child process: the Switchyard gateway as users run it headless — the real runtime over file-backed
// stores in a data folder, request history written to disk — with one account pointing at the fake.

import { openFileRuntime } from '../src-proxy/cli/file-runtime.js';
import { runChild } from './ipc.js';

const [upstream, dataDir] = process.argv.slice(2);

runChild('gateway', async () => {
  if (!upstream || !dataDir) throw new Error('usage: gateway-child <upstream-url> <data-dir>');
  const runtime = await openFileRuntime(dataDir, {
    listenOverride: { host: '127.0.0.1', port: 0 },
    onInternalError: (err) => console.error('gateway internal error:', err),
  });
  await runtime.addAccount({
    provider: 'anthropic',
    label: 'bench@example.com',
    api_key: 'sk-ant-bench-key',
    options: { base_url: upstream, auth_scheme: 'x-api-key', strip_cache_control: false, count_tokens: true },
  });
  const status = await runtime.startGateway();
  return {
    port: status.port,
    ops: {
      // The gateway's own timings of its latest requests (newest first): what it measured between the
      // request's arrival and its first and last byte, against what the client measured around it.
      recent: async (n) =>
        (await runtime.listRequests({ limit: Number(n) })).map((e) => ({ stream: e.stream, status: e.status, latency_ms: e.latency_ms, ttfb_ms: e.ttfb_ms })),
    },
    close: () => runtime.close(),
  };
});
