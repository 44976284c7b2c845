// The console's build: a static bundle with relative asset URLs, so the same files work under the
// headless console's /ui/ and under the desktop app's own origin. The page also carries its content
// security policy in a <meta>, beside the header both servers send: whether Chromium applies a header
// from an Electron protocol handler's response is not documented, and the two together are as strict.
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { CONSOLE_CSP } from './src-proxy/control-api/ui-files.js';

/** The header's policy without what a <meta> policy cannot carry (frame-ancestors; the header keeps it). */
export const CONSOLE_META_CSP = CONSOLE_CSP.split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors '))
  .join('; ');

function cspMeta(): Plugin {
  return {
    name: 'switchyard-csp-meta',
    // The dev server injects inline scripts of its own; only the built console carries the policy.
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONSOLE_META_CSP }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react(), cspMeta()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
  logLevel: 'warn',
});
