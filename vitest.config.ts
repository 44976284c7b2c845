import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['tests/**/*.test.ts'], exclude: ['tests/renderer/**'], environment: 'node' },
      },
      {
        extends: true,
        plugins: [react()],
        test: { name: 'renderer', include: ['tests/renderer/**/*.test.{ts,tsx}'], environment: 'happy-dom', setupFiles: ['tests/renderer/setup-cleanup.ts'] },
      },
    ],
  },
});
