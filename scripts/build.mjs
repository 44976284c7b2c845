// Builds every bundle into dist/: the headless CLI (ESM, dependencies installed by npm), and the desktop
// app's main process and preload (CommonJS, as Electron loads them; a sandboxed preload must be one file),
// and the console (dist/renderer, by Vite, from vite.config.ts), served by `serve` and by the desktop app.
import { build } from 'esbuild';
import { build as buildConsole } from 'vite';
import { ELECTRON_CHROME_TARGET, ELECTRON_NODE_TARGET } from './electron-targets.mjs';

const common = { bundle: true, platform: 'node', sourcemap: true, logLevel: 'warning' };

await Promise.all([
  build({ ...common, entryPoints: ['src-proxy/cli/index.ts'], outfile: 'dist/cli/index.mjs', format: 'esm', target: 'node22', packages: 'external' }),
  // Electron ships its own Node; everything but Electron itself is bundled, so the package needs no node_modules.
  build({ ...common, entryPoints: ['src-main/index.ts'], outfile: 'dist/main/index.cjs', format: 'cjs', target: ELECTRON_NODE_TARGET, external: ['electron'] }),
  build({
    ...common,
    entryPoints: ['src-main/preload/index.ts'],
    outfile: 'dist/preload/index.cjs',
    format: 'cjs',
    target: ELECTRON_CHROME_TARGET,
    external: ['electron'],
  }),
  buildConsole({ configFile: 'vite.config.ts' }),
]);
