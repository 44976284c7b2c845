import { describe, expect, it } from 'vitest';
import { formatSettings, jsonErrorOffset, settingsPath, whereItBroke } from '../../../src-proxy/claude-code/settings-file.js';

describe('jsonErrorOffset', () => {
  // Where V8 reports a position, it is the same one.
  it.each([
    '{"a": 1,}',
    '{\n  "permissions": {},\n  "env": { "FOO": "bar", }\n}\n',
    '{"env": {',
    '{"a": tru}',
    '{"a": "b\\x"}',
    '{"a": [1, 2,, 3]}',
    '{"a": 01}',
    '{"a": "line\nbreak"}',
    '{"a": 1} trailing',
    '{"a" 1}',
    '',
  ])('%j', (text) => {
    let v8: number | null = null;
    try {
      JSON.parse(text);
    } catch (err) {
      const m = /position (\d+)/.exec((err as Error).message);
      v8 = m ? Number(m[1]) : null;
    }
    const ours = jsonErrorOffset(text);
    if (v8 !== null) expect(ours).toBe(v8);
    expect(ours).toBeLessThanOrEqual(text.length);
  });

  it('finds the place V8 only quotes', () => {
    const text = '{"env": {"ANTHROPIC_API_KEY": sk-secret-value}}';
    expect(jsonErrorOffset(text)).toBe(text.indexOf('sk-'));
    expect(whereItBroke(text)).toBe('line 1, column 31');
  });

  it('accepts what JSON.parse accepts', () => {
    for (const text of ['{}', '[]', '{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"], "b": {}}', ' 7 ']) expect(jsonErrorOffset(text)).toBe(text.length);
  });
});

describe('formatSettings', () => {
  it('keeps the indentation and the final newline of the file it replaces', () => {
    expect(formatSettings({ a: { b: 1 } }, Buffer.from('{\n\t"x": 1\n}'))).toBe('{\n\t"a": {\n\t\t"b": 1\n\t}\n}');
    expect(formatSettings({ a: 1 }, Buffer.from('{\n    "x": 1\n}\n'))).toBe('{\n    "a": 1\n}\n');
    expect(formatSettings({ a: 1 }, null)).toBe('{\n  "a": 1\n}\n');
  });
});

describe('settingsPath', () => {
  const home = { home: '/home/u' };
  it.each([
    [{}, home, '/home/u/.claude/settings.json'],
    [{}, { ...home, configDir: '/cfg/claude' }, '/cfg/claude/settings.json'],
    [{ config_dir: '/other' }, { ...home, configDir: '/cfg/claude' }, '/other/settings.json'],
    [{ project_dir: '/work/app' }, home, '/work/app/.claude/settings.local.json'],
  ])('%o with %o is %s', (target, h, path) => {
    expect(settingsPath(target, h)).toBe(path);
  });
});
