// `switchyard serve` for the bench's v1internal path: the same serve command on its own data folder (two
// Google accounts on the fake Code Assist backend, a model rule sending CODE_ASSIST_MODEL to them), with
// one dependency the plain CLI does not have yet: an access-token service. Here it is a fixed one that
// hands out the fake's tokens, since signing in to Google is not what is measured.
//
// Usage: node codeassist-serve.mjs <data-dir> <code-assist-url>

import { join } from 'node:path';
import { processIo } from '../src-proxy/cli/io.js';
import { serveCommand } from '../src-proxy/cli/serve-command.js';
import type { AccessTokens } from '../src-proxy/providers/antigravity/access-tokens.js';
import { UpstreamError } from '../src-proxy/providers/types.js';
import { FileSettingsStore } from '../src-proxy/settings/file-settings-store.js';
import { CODE_ASSIST_TOKENS } from './bodies.js';

const [dataDir, codeAssistUrl] = process.argv.slice(2);
if (!dataDir || !codeAssistUrl) {
  console.error('usage: codeassist-serve <data-dir> <code-assist-url>');
  process.exit(2);
}

const tokens: AccessTokens = {
  get(_accountId, refreshToken) {
    const token = CODE_ASSIST_TOKENS[refreshToken];
    return token ? Promise.resolve(token) : Promise.reject(new UpstreamError({ kind: 'auth', status: 400, message: 'invalid_grant', retryAfterMs: null }));
  },
  invalidate() {},
};

// The hosts are a setting the console and `config set` will write; here the bench writes it itself.
const settings = await FileSettingsStore.open(join(dataDir, 'settings.json'), () => {});
await settings.update({ antigravity: { base_urls: [codeAssistUrl] } });

process.exitCode = await serveCommand(['--port', '0', '--console-port', '0'], dataDir, processIo, { accessTokens: tokens });
