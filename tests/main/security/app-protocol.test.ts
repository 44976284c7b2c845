// The app:// scheme serves the built console and nothing else: files under the renderer folder with their
// content types and the console's content security policy; no way out of the folder.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../../src-proxy/control-api/ui-files.js';
import { createAppProtocolHandler } from '../../../src-main/security/app-protocol.js';
import { useTempDir } from '../../proxy/settings/temp-dir.js';

const dir = useTempDir('switchyard-app-protocol-');
const renderer = () => join(dir(), 'renderer');

beforeEach(async () => {
  await mkdir(join(renderer(), 'assets'), { recursive: true });
  await writeFile(join(renderer(), 'index.html'), '<!doctype html><title>Switchyard</title>');
  await writeFile(join(renderer(), 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(join(renderer(), 'assets', 'index-abc.css'), 'body{}');
  await writeFile(join(renderer(), 'assets', 'logo.svg'), '<svg/>');
  await writeFile(join(renderer(), 'assets', 'font.woff2'), 'w');
  await writeFile(join(renderer(), 'assets', 'blob.bin'), 'b');
  // Beside the renderer folder, not in it.
  await writeFile(join(dir(), 'secrets.json'), '{"secrets":{"a":"sk-fake-do-not-serve"}}');
});

const get = (url: string, method = 'GET') => createAppProtocolHandler(renderer())({ url, method });

describe('the app:// protocol', () => {
  it.each([
    ['app://switchyard/', 'text/html; charset=utf-8'],
    ['app://switchyard/index.html', 'text/html; charset=utf-8'],
    ['app://switchyard/assets/index-abc.js', 'text/javascript; charset=utf-8'],
    ['app://switchyard/assets/index-abc.css', 'text/css; charset=utf-8'],
    ['app://switchyard/assets/logo.svg', 'image/svg+xml'],
    ['app://switchyard/assets/font.woff2', 'font/woff2'],
    ['app://switchyard/assets/blob.bin', 'application/octet-stream'],
  ])('serves %s as %s, with the CSP', async (url, type) => {
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('answers HEAD without a body', async () => {
    const res = await get('app://switchyard/index.html', 'HEAD');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it.each([
    ['a missing file', 'app://switchyard/nope.js', 'GET'],
    ['a folder', 'app://switchyard/assets', 'GET'],
    ['dot segments (resolved by the URL, still inside)', 'app://switchyard/../secrets.json', 'GET'],
    ['encoded dot segments', 'app://switchyard/%2e%2e/secrets.json', 'GET'],
    ['an encoded slash', 'app://switchyard/..%2fsecrets.json', 'GET'],
    ['an encoded backslash', 'app://switchyard/..%5csecrets.json', 'GET'],
    ['a NUL byte', 'app://switchyard/index.html%00.js', 'GET'],
    ['a malformed escape', 'app://switchyard/%E0%A4%A.js', 'GET'],
    ['an absolute path in the URL', 'app://switchyard//etc/passwd', 'GET'],
    ['another host', 'app://other/index.html', 'GET'],
    ['a POST', 'app://switchyard/index.html', 'POST'],
  ])('refuses %s with a 404 that still carries the CSP', async (_name, url, method) => {
    const res = await get(url, method);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(await res.text()).not.toContain('sk-ant');
  });
});
