// The scripts the bench runs in processes of their own, bundled with esbuild the way `npm run build`
// bundles the CLI (ESM, node22, dependencies left external), so they run on plain `node`: under tsx
// each would carry a loader thread and its memory, and a load generator would spend its CPU compiling.

import { mkdir, symlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_DIR = resolve(BENCH_DIR, '..');

const ENTRIES = {
  fake: 'fake-child',
  geminiFake: 'gemini-fake-child',
  codeAssistFake: 'v1internal-fake-child',
  pipe: 'pipe-server',
  load: 'load-child',
  ttfb: 'ttfb-child',
  burst: 'stream-burst-child',
  latency: 'latency-child',
  chainFake: 'chain-fake-child',
} as const;
export type Script = keyof typeof ENTRIES;

/** Bundles every script into `outRoot`; a node_modules link next to them resolves the external imports. */
export async function bundleScripts(outRoot: string): Promise<Record<Script, string>> {
  const outdir = join(outRoot, 'scripts');
  await mkdir(outdir, { recursive: true });
  await symlink(join(REPO_DIR, 'node_modules'), join(outRoot, 'node_modules'), 'dir');
  await build({
    entryPoints: Object.values(ENTRIES).map((name) => join(BENCH_DIR, `${name}.ts`)),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    logLevel: 'warning',
  });
  const files = {} as Record<Script, string>;
  for (const [script, name] of Object.entries(ENTRIES)) files[script as Script] = join(outdir, `${name}.mjs`);
  return files;
}
