#!/usr/bin/env node
// The `switchyard` command. It runs the bundle `npm run build` produces.
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// Loading the program would otherwise grow V8's young generation to its 32 MB maximum before any code
// runs; it stays at its starting size instead, and `serve` sets how far it may grow from there
// (src-proxy/runtime/heap-policy.ts).
setFlagsFromString('--semi-space-growth-factor=1');

const bundle = new URL('../dist/cli/index.mjs', import.meta.url);
if (!existsSync(bundle)) {
  console.error('switchyard: not built yet. Run `npm run build` in the switchyard folder first.');
  process.exit(1);
}
await import(bundle.href);
