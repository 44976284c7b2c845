#!/usr/bin/env node
// The `switchyard` command. It runs the bundle `npm run build` produces.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli/index.mjs', import.meta.url);
if (!existsSync(bundle)) {
  console.error('switchyard: not built yet. Run `npm run build` in the switchyard folder first.');
  process.exit(1);
}
await import(bundle.href);
