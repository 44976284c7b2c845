// Bundles the headless CLI into dist/cli/index.mjs. Dependencies stay external (installed by npm).
import { build } from 'esbuild';

await build({
  entryPoints: ['src-proxy/cli/index.ts'],
  outfile: 'dist/cli/index.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
