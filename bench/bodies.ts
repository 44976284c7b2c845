// What the clients send and what the fake answers, shared by the client processes, the fake upstream
// and the bench itself. Everything is deterministic so two runs send the same bytes.

export const MODEL = 'claude-sonnet-4-6';
/** The model the gateway's model rule routes to its Gemini accounts, as GEMINI_MODEL (the translated path). */
export const TRANSLATED_MODEL = 'claude-gemini-bench';
/** A model the Gemini fake serves by default. */
export const GEMINI_MODEL = 'gemini-2.5-flash';
/** The model the gateway's model rule routes to its Google accounts, as GEMINI_MODEL (the v1internal path). */
export const CODE_ASSIST_MODEL = 'claude-codeassist-bench';
/** The gateway's Google accounts, by email. */
export const CODE_ASSIST_ACCOUNTS: readonly string[] = ['google-a@example.com', 'google-b@example.com'];
/** The gateway runs with auth_mode strict; every request carries this key, the pipe's included. */
export const GATEWAY_KEY = 'sk-bench-gateway-key';
export const REQUEST_HEADERS = {
  'content-type': 'application/json',
  'anthropic-version': '2023-06-01',
  'x-api-key': GATEWAY_KEY,
};
export const MESSAGES_PATH = '/v1/messages';
/** A request as it went to an upstream, to be sent there again as it is (the direct call). */
export interface RawRequest {
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** text_delta events in each streamed reply. */
export const STREAM_CHUNKS = 200;

const WORDS = (
  'the gateway forwards each request to an upstream account and streams the answer back while the ' +
  'console shows every request live with its account model latency and tokens; a conversation grows ' +
  'turn by turn as the agent reads files runs tools and writes code until the task is done'
).split(' ');

/** Deterministic prose of about `chars` characters (a tiny LCG picks the words). */
function prose(chars: number, seed: number): string {
  let x = seed >>> 0 || 1;
  const out: string[] = [];
  let length = 0;
  while (length < chars) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    const word = WORDS[x % WORDS.length]!;
    out.push(word);
    length += word.length + 1;
  }
  return out.join(' ');
}

/** Claude Code names its session in metadata.user_id; the gateway keys account stickiness on it. */
const METADATA = { user_id: 'user_5f2c0d4e9b7a4c1e8d3f6a2b9c0e1d4f_account__session_0b6f1c1e-3f1d-4a8e-9c55-2d7b8e4a9f10' };

function encode(body: object): Buffer {
  return Buffer.from(JSON.stringify(body));
}

/** A first turn of about 1 KB: a short system prompt and one user message. */
export function smallRequest(stream = false, model = MODEL): Buffer {
  const base = { model, max_tokens: 1024, metadata: METADATA, system: 'You are a concise coding assistant.' };
  const fixed = encode({ ...base, messages: [{ role: 'user', content: '' }], ...(stream ? { stream: true } : {}) }).length;
  const content = prose(1024 - fixed, 7).slice(0, 1024 - fixed);
  return encode({ ...base, messages: [{ role: 'user', content }], ...(stream ? { stream: true } : {}) });
}

/** Source-like text for tool results: lines, indentation, quotes and backslashes that JSON must escape. */
function sourceFile(chars: number, seed: number): string {
  const lines: string[] = [];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    const line = `${String(i + 1).padStart(6)}\t  const value${i} = "${prose(40, seed + i)}".split('\\n'); // see \`${i}\``;
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}

type Schema = Record<string, unknown>;
const str = (description: string, extra: Schema = {}): Schema => ({ type: 'string', description, ...extra });
const num = (description: string, extra: Schema = {}): Schema => ({ type: 'number', description, ...extra });
const bool = (description: string): Schema => ({ type: 'boolean', description });

/** A tool as Claude Code declares it: a long description and a draft-07 JSON Schema that allows no extra keys. */
function tool(name: string, descriptionChars: number, properties: Record<string, Schema>, required: string[], seed: number): object {
  return {
    name,
    description: prose(descriptionChars, seed),
    input_schema: { type: 'object', properties, required, additionalProperties: false, $schema: 'http://json-schema.org/draft-07/schema#' },
  };
}

/** Claude Code's built-in tools and a few MCP ones: 20 declarations, about 60 KB. */
function claudeCodeTools(): object[] {
  const todo: Schema = {
    type: 'object',
    properties: {
      content: str('The imperative form of the task', { minLength: 1 }),
      status: { type: 'string', enum: ['pending', 'in_progress', 'completed'] },
      activeForm: str('The present continuous form of the task', { minLength: 1 }),
    },
    required: ['content', 'status', 'activeForm'],
    additionalProperties: false,
  };
  const edit: Schema = {
    type: 'object',
    properties: {
      old_string: str('The text to replace'),
      new_string: str('The text to replace it with'),
      replace_all: { type: 'boolean', default: false, description: 'Replace all occurences of old_string (default false).' },
    },
    required: ['old_string', 'new_string'],
    additionalProperties: false,
  };
  return [
    tool(
      'Task',
      6000,
      {
        description: str('A short (3-5 word) description of the task'),
        prompt: str('The task for the agent to perform'),
        subagent_type: str('The type of specialized agent to use for this task'),
      },
      ['description', 'prompt', 'subagent_type'],
      501,
    ),
    tool(
      'Bash',
      9000,
      {
        command: str('The command to execute'),
        timeout: num('Optional timeout in milliseconds (max 600000)'),
        description: str('Clear, concise description of what this command does in 5-10 words.'),
        run_in_background: bool('Set to true to run this command in the background. Use BashOutput to read the output later.'),
      },
      ['command'],
      502,
    ),
    tool(
      'Glob',
      900,
      { pattern: str('The glob pattern to match files against'), path: str('The directory to search in. Defaults to the current working directory.') },
      ['pattern'],
      503,
    ),
    tool(
      'Grep',
      2500,
      {
        pattern: str('The regular expression pattern to search for in file contents'),
        path: str('File or directory to search in (rg PATH). Defaults to current working directory.'),
        glob: str('Glob pattern to filter files (e.g. "*.js", "*.{ts,tsx}") - maps to rg --glob'),
        output_mode: { type: 'string', enum: ['content', 'files_with_matches', 'count'], description: 'Output mode. Defaults to "files_with_matches".' },
        '-B': num('Number of lines to show before each match (rg -B).'),
        '-A': num('Number of lines to show after each match (rg -A).'),
        '-C': num('Number of lines to show before and after each match (rg -C).'),
        '-n': bool('Show line numbers in output (rg -n).'),
        '-i': bool('Case insensitive search (rg -i)'),
        type: str('File type to search (rg --type). Common types: js, py, rust, go, java, etc.'),
        head_limit: num('Limit output to first N lines/entries, equivalent to "| head -N".'),
        multiline: bool('Enable multiline mode where . matches newlines and patterns can span lines (rg -U --multiline-dotall).'),
      },
      ['pattern'],
      504,
    ),
    tool('ExitPlanMode', 1200, { plan: str('The plan you came up with, that you want to run by the user for approval.') }, ['plan'], 505),
    tool(
      'Read',
      2000,
      {
        file_path: str('The absolute path to the file to read'),
        offset: num('The line number to start reading from. Only provide if the file is too large to read at once'),
        limit: num('The number of lines to read. Only provide if the file is too large to read at once.'),
      },
      ['file_path'],
      506,
    ),
    tool(
      'Edit',
      1500,
      { file_path: str('The absolute path to the file to modify'), ...(edit.properties as Record<string, Schema>) },
      ['file_path', 'old_string', 'new_string'],
      507,
    ),
    tool(
      'MultiEdit',
      2500,
      {
        file_path: str('The absolute path to the file to modify'),
        edits: { type: 'array', items: edit, minItems: 1, description: 'Array of edit operations to perform sequentially on the file' },
      },
      ['file_path', 'edits'],
      508,
    ),
    tool(
      'Write',
      900,
      { file_path: str('The absolute path to the file to write (must be absolute, not relative)'), content: str('The content to write to the file') },
      ['file_path', 'content'],
      509,
    ),
    tool(
      'NotebookEdit',
      800,
      {
        notebook_path: str('The absolute path to the Jupyter notebook file to edit (must be absolute, not relative)'),
        cell_id: str('The ID of the cell to edit.'),
        new_source: str('The new source for the cell'),
        cell_type: { type: 'string', enum: ['code', 'markdown'], description: 'The type of the cell (code or markdown).' },
        edit_mode: {
          type: 'string',
          enum: ['replace', 'insert', 'delete'],
          description: 'The type of edit to make (replace, insert, delete). Defaults to replace.',
        },
      },
      ['notebook_path', 'new_source'],
      510,
    ),
    tool(
      'WebFetch',
      1500,
      { url: str('The URL to fetch content from', { format: 'uri' }), prompt: str('The prompt to run on the fetched content') },
      ['url', 'prompt'],
      511,
    ),
    tool('TodoWrite', 9000, { todos: { type: 'array', items: todo, description: 'The updated todo list' } }, ['todos'], 512),
    tool(
      'WebSearch',
      1000,
      {
        query: str('The search query to use', { minLength: 2 }),
        allowed_domains: { type: 'array', items: { type: 'string' }, description: 'Only include search results from these domains' },
        blocked_domains: { type: 'array', items: { type: 'string' }, description: 'Never include search results from these domains' },
      },
      ['query'],
      513,
    ),
    tool(
      'BashOutput',
      500,
      { bash_id: str('The ID of the background shell to retrieve output from'), filter: str('Optional regular expression to filter the output lines.') },
      ['bash_id'],
      514,
    ),
    tool('KillShell', 300, { shell_id: str('The ID of the background shell to kill') }, ['shell_id'], 515),
    tool('SlashCommand', 1500, { command: str('The slash command to execute with its arguments, e.g., "/review-pr 123"') }, ['command'], 516),
    tool('mcp__ide__getDiagnostics', 300, { uri: str('Optional file URI to get diagnostics for. If not provided, gets diagnostics for all files.') }, [], 517),
    tool('mcp__ide__executeCode', 700, { code: str('The code to be executed on the kernel.') }, ['code'], 518),
    tool(
      'mcp__github__create_issue',
      400,
      {
        owner: str('Repository owner'),
        repo: str('Repository name'),
        title: str('Issue title'),
        body: str('Issue body content'),
        labels: { type: 'array', items: { type: 'string' }, description: 'Labels to apply to this issue' },
        milestone: { type: ['number', 'null'], description: 'Milestone number' },
      },
      ['owner', 'repo', 'title'],
      519,
    ),
    tool(
      'mcp__github__search_code',
      400,
      {
        q: str('Search query using GitHub code search syntax'),
        sort: { type: 'string', enum: ['indexed'], description: 'Sort field' },
        order: { type: 'string', enum: ['asc', 'desc'], description: 'Sort order' },
        per_page: { type: 'integer', minimum: 1, maximum: 100, description: 'Results per page (max 100)' },
        page: { type: 'integer', minimum: 1, description: 'Page number' },
      },
      ['q'],
      520,
    ),
  ];
}

/** What one assistant step of the conversation calls, and the result it gets back. */
function toolStep(i: number): { name: string; input: object; result: string } {
  const file = `/home/dev/project/src/module-${i % 37}.ts`;
  switch (i % 5) {
    case 0:
      return { name: 'Read', input: { file_path: file }, result: sourceFile(5000, 300 + i) };
    case 1:
      return {
        name: 'Grep',
        input: { pattern: `value${i}`, path: '/home/dev/project/src', output_mode: 'content', '-n': true },
        result: sourceFile(1500, 300 + i),
      };
    case 2:
      return { name: 'Bash', input: { command: 'npm test -- --reporter=dot', description: 'Run the test suite' }, result: prose(1800, 300 + i) };
    case 3:
      return {
        name: 'Edit',
        input: { file_path: file, old_string: `const value${i} = "old";`, new_string: `const value${i} = "new";` },
        result: `The file ${file} has been updated. Here's the result of running \`cat -n\` on a snippet of the edited file:\n${sourceFile(600, 300 + i)}`,
      };
    default:
      return {
        name: 'TodoWrite',
        input: { todos: [{ content: `Fix module ${i}`, status: 'in_progress', activeForm: `Fixing module ${i}` }] },
        result: 'Todos have been modified successfully.',
      };
  }
}

/**
 * A request as Claude Code sends it deep into a session, of about `bytes` bytes: its system prompt, 20
 * tool definitions with their JSON Schemas, then a long agent loop (assistant text + tool_use, user
 * tool_result, now and then two calls at once and a new user prompt), ending, as most of its requests
 * do, with tool results for the model to read. Roles alternate and every tool_use is answered, so the
 * real API (and both fakes) would accept it; deterministic.
 */
export function claudeCodeRequest(model: string, bytes = 300 * 1024): Buffer {
  const messages: object[] = [
    {
      role: 'user',
      content: [
        {
          type: 'text',
          text: `<system-reminder>\nAs you answer the user's questions, you can use the following context:\n${prose(3000, 41)}\n</system-reminder>`,
        },
        { type: 'text', text: 'The tests in src/ fail since the last refactor; find out why and fix them.' },
      ],
    },
  ];
  const body = {
    model,
    max_tokens: 32000,
    metadata: METADATA,
    system: [
      { type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude.", cache_control: { type: 'ephemeral' } },
      { type: 'text', text: prose(14_000, 3), cache_control: { type: 'ephemeral' } },
    ],
    tools: claudeCodeTools(),
    messages,
    stream: false,
  };
  for (let i = 0; encode(body).length < bytes - 6000; i++) {
    const calls = i % 4 === 3 ? [toolStep(i), toolStep(i + 2)] : [toolStep(i)];
    const ids = calls.map((_, k) => `toolu_01Bench${String(i).padStart(4, '0')}${k}xYzAbCdEfGhIj`);
    messages.push({
      role: 'assistant',
      content: [{ type: 'text', text: prose(220, 200 + i) }, ...calls.map((c, k) => ({ type: 'tool_use', id: ids[k], name: c.name, input: c.input }))],
    });
    const toolResults = calls.map((c, k) => ({ type: 'tool_result', tool_use_id: ids[k], content: c.result }));
    // Now and then the user adds a word of their own after the results, as Claude Code sends it.
    const extra = i % 9 === 8 ? [{ type: 'text', text: prose(150, 700 + i) }] : [];
    messages.push({ role: 'user', content: [...toolResults, ...extra] });
  }
  return encode(body);
}

/** The fake's streamed reply: long enough to split into STREAM_CHUNKS non-empty text deltas. */
export function streamText(): string {
  return prose(STREAM_CHUNKS * 6, 11);
}

/** The fake's non-streaming reply: short, so the measured cost is the request's, not the answer's. */
export const SHORT_REPLY = 'Done: the change is in place.';
