// The console as shipped, built for a test: React's production build into a folder of the test's own.

import { createServer } from 'node:net';
import { join } from 'node:path';
import { build } from 'vite';

const ROOT = new URL('../../../', import.meta.url).pathname;

export async function buildConsole(outDir: string): Promise<void> {
  // Whatever NODE_ENV the test runner set, the build is the production one users get.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(ROOT, 'vite.config.ts'),
      root: join(ROOT, 'src-renderer'),
      build: { outDir, emptyOutDir: true, sourcemap: false },
      logLevel: 'error',
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
