// The built console as the desktop app serves it: its content security policy in the header and again in
// a <meta> of the page, ahead of every script, so the page is held to it whether or not Chromium applies
// a header from an Electron protocol handler. Needs `npm run build` first (npm test does it).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../../src-proxy/control-api/ui-files.js';
import { createAppProtocolHandler } from '../../../src-main/security/app-protocol.js';

const renderer = join(import.meta.dirname, '..', '..', '..', 'dist', 'renderer');

/** The page's <meta http-equiv="Content-Security-Policy"> values, as a browser reads the attribute. */
function metaPolicies(html: string): string[] {
  const decode = (s: string) =>
    s
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  return [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/gi)].map((m) => decode(m[1]!));
}

describe('the console page', () => {
  it('carries the policy in its header and, but for frame-ancestors, in a <meta> before any script', async () => {
    expect(existsSync(join(renderer, 'index.html')), 'dist/renderer is missing: run npm run build').toBe(true);
    const res = await createAppProtocolHandler(renderer)({ url: 'app://switchyard/index.html', method: 'GET' });
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    const html = await res.text();
    const directives = (policy: string) => policy.split('; ').sort();
    expect(metaPolicies(html).map(directives)).toEqual([directives(CONSOLE_CSP).filter((d) => !d.startsWith('frame-ancestors '))]);
    // A <meta> policy holds only for what comes after it.
    expect(html.search(/<meta\s+http-equiv="Content-Security-Policy"/i)).toBeLessThan(html.search(/<script\b/i));
    expect(directives(CONSOLE_CSP)).toContain("script-src 'self'");
  });
});
