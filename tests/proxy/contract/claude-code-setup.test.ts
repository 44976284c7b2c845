import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { claudeCodeSetup } from '../../../src-proxy/contract/index.js';

describe('claudeCodeSetup', () => {
  it.each([
    ['auth off: the base URL only', { url: 'http://127.0.0.1:8045', apiKey: null, shell: 'posix' as const }, 'export ANTHROPIC_BASE_URL=http://127.0.0.1:8045'],
    [
      'auth on: the key too',
      { url: 'http://127.0.0.1:8045', apiKey: 'sk-sy-abc_DEF-1', shell: 'posix' as const },
      'export ANTHROPIC_BASE_URL=http://127.0.0.1:8045\nexport ANTHROPIC_API_KEY=sk-sy-abc_DEF-1',
    ],
    [
      'a URL given with /v1 loses it',
      { url: 'http://127.0.0.1:9000/v1/', apiKey: null, shell: 'posix' as const },
      'export ANTHROPIC_BASE_URL=http://127.0.0.1:9000',
    ],
    [
      'PowerShell',
      { url: 'http://127.0.0.1:8045', apiKey: 'k$1"`', shell: 'powershell' as const },
      '$env:ANTHROPIC_BASE_URL="http://127.0.0.1:8045"\n$env:ANTHROPIC_API_KEY="k`$1`"``"',
    ],
  ])('%s', (_name, input, expected) => {
    expect(claudeCodeSetup(input)).toBe(expected);
  });

  it('quotes a key with shell characters so the shell reads it back exactly', () => {
    const key = `it's $HOME; rm -rf "x" \`id\``;
    const lines = claudeCodeSetup({ url: 'http://127.0.0.1:8045', apiKey: key, shell: 'posix' });
    const echoed = execFileSync('/bin/sh', ['-c', `${lines}\nprintf %s "$ANTHROPIC_API_KEY"`], { encoding: 'utf8' });
    expect(echoed).toBe(key);
  });
});
