import { describe, expect, it } from 'vitest';
import { GEMINI_NAME_MAX, ToolNameMap, geminiAlias, isValidGeminiName } from '../../../../src-proxy/providers/gemini/tool-names.js';

const LONG_MCP = 'mcp__claude_ai_Atlassian_Confluence_Workspace__searchConfluenceUsingCqlWithPagination';

describe('isValidGeminiName', () => {
  const rows: Array<[string, boolean]> = [
    ['Read', true],
    ['mcp__github__create_issue', true],
    ['_private', true],
    ['a.b:c-d_e', true],
    ['x'.repeat(64), true],
    ['x'.repeat(65), false],
    ['', false],
    ['9lives', false],
    ['-dash-first', false],
    ['.dot-first', false],
    ['has space', false],
    ['slash/name', false],
    ['naïve', false],
    ['emoji😀', false],
    ['trailing\n', false],
  ];
  it.each(rows)('%j → %s', (name, valid) => {
    expect(isValidGeminiName(name)).toBe(valid);
  });
});

describe('ToolNameMap', () => {
  it('sends valid names unchanged, case included', () => {
    const map = new ToolNameMap(['Read', 'Bash', 'mcp__github__create_issue', 'TodoWrite']);
    for (const name of ['Read', 'Bash', 'mcp__github__create_issue', 'TodoWrite']) {
      expect(map.toUpstream(name)).toBe(name);
      expect(map.toClient(name)).toBe(name);
    }
  });

  const awkward: Array<[string, string]> = [
    ['a long MCP name', LONG_MCP],
    ['a 128-character name', 'a'.repeat(128)],
    ['a name with spaces', 'search the web'],
    ['a name with slashes', 'github/issues/create'],
    ['a name with unicode', 'création_de_fiche_🚀'],
    ['a name starting with a digit', '3d_render'],
    ['a name starting with a dash', '-x'],
    ['an empty name', ''],
  ];

  it.each(awkward)('aliases %s to a valid name and maps it back exactly', (_label, name) => {
    const map = new ToolNameMap([name]);
    const alias = map.toUpstream(name);
    expect(isValidGeminiName(alias)).toBe(true);
    expect(alias.length).toBeLessThanOrEqual(GEMINI_NAME_MAX);
    expect(alias).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(map.toClient(alias)).toBe(name);
  });

  it('keeps the readable start and end of a long name in its alias', () => {
    const alias = new ToolNameMap([LONG_MCP]).toUpstream(LONG_MCP);
    expect(alias).toHaveLength(GEMINI_NAME_MAX);
    expect(alias.startsWith('mcp__claude_ai_Atla')).toBe(true);
    expect(alias).toContain('searchConfluenceUsingCqlWithPagination'.slice(-20));
  });

  it('maps the same name to the same alias in every request, whatever the other tools', () => {
    const first = new ToolNameMap([LONG_MCP, 'Read']).toUpstream(LONG_MCP);
    const later = new ToolNameMap(['Bash', 'mcp__x__y', LONG_MCP]).toUpstream(LONG_MCP);
    expect(later).toBe(first);
    expect(first).toBe(geminiAlias(LONG_MCP));
  });

  it('keeps names that differ only by case apart, in both directions', () => {
    const long = 'mcp__server__' + 'x'.repeat(60);
    const names = ['get_Item', 'get_item', long + 'Tool', long + 'tool', 'My Tool', 'my tool'];
    const map = new ToolNameMap(names);
    const upstream = names.map((n) => map.toUpstream(n));
    expect(new Set(upstream).size).toBe(names.length);
    expect(upstream.slice(0, 2)).toEqual(['get_Item', 'get_item']);
    for (const [i, name] of names.entries()) expect(map.toClient(upstream[i]!)).toBe(name);
  });

  it('gives distinct aliases to names that sanitize to the same stem', () => {
    const names = ['a/b', 'a b', 'a:b ', 'a\tb', 'a😀b'];
    const map = new ToolNameMap(names);
    const upstream = names.map((n) => map.toUpstream(n));
    expect(new Set(upstream).size).toBe(names.length);
    for (const alias of upstream) expect(alias.startsWith('a_b_')).toBe(true);
    for (const [i, name] of names.entries()) expect(map.toClient(upstream[i]!)).toBe(name);
  });

  it('never lets an alias take the name of a real tool', () => {
    const awkwardName = 'web fetch';
    const squatter = geminiAlias(awkwardName); // a valid name that happens to equal the alias
    const map = new ToolNameMap([awkwardName, squatter]);
    expect(map.toUpstream(squatter)).toBe(squatter);
    const alias = map.toUpstream(awkwardName);
    expect(alias).not.toBe(squatter);
    expect(isValidGeminiName(alias)).toBe(true);
    expect(map.toClient(alias)).toBe(awkwardName);
    expect(map.toClient(squatter)).toBe(squatter);
  });

  it('does not depend on the order of the tools, even when a salted alias is needed', () => {
    const awkwardName = 'web fetch';
    const squatter = geminiAlias(awkwardName);
    const a = new ToolNameMap([awkwardName, squatter, 'x y']);
    const b = new ToolNameMap(['x y', squatter, awkwardName]);
    expect(a.toUpstream(awkwardName)).toBe(b.toUpstream(awkwardName));
    expect(a.toUpstream('x y')).toBe(b.toUpstream('x y'));
  });

  it('maps a name first met in history with the same rule', () => {
    const map = new ToolNameMap(['Read']);
    const alias = map.toUpstream(LONG_MCP);
    expect(alias).toBe(geminiAlias(LONG_MCP));
    expect(map.toClient(alias)).toBe(LONG_MCP);
  });

  it('returns a name it never issued unchanged', () => {
    const map = new ToolNameMap(['Read', LONG_MCP]);
    expect(map.toClient('read')).toBe('read');
    expect(map.toClient('Unknown_Tool')).toBe('Unknown_Tool');
  });

  it('accepts duplicate names', () => {
    const map = new ToolNameMap(['Read', 'Read', 'a b', 'a b']);
    expect(map.toUpstream('Read')).toBe('Read');
    expect(map.toClient(map.toUpstream('a b'))).toBe('a b');
  });
});
