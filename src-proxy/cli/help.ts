// What `--help` prints, for the whole command line and for each command and subcommand by its words
// ('accounts add'). Help never opens the data folder: it answers at once, whatever runs.

import { ACCOUNT_KIND_NAMES, ACCOUNT_PRESETS } from '../contract/index.js';
import { defaultDataDir } from '../lib/data-dir.js';
import { kindExample } from './account-kinds.js';
import { CLAUDE_USAGE } from './claude-command.js';
import { presetLines } from './preset-flags.js';

const DATA_DIR = '  --data-dir DIR   the Switchyard data folder (default: $SWITCHYARD_DATA_DIR, else the platform folder)';

function page(usage: string, what: string, options: string[] = []): string {
  return [`Usage: switchyard ${usage}`, '', what, '', 'Options:', ...options, DATA_DIR, '  -h, --help       this help'].join('\n');
}

export function mainUsage(env?: NodeJS.ProcessEnv): string {
  return `Usage: switchyard <command> [options]

Commands:
  serve [--port 8045] [--host 127.0.0.1] [--console-port 8046] [--quiet]
        [--redis redis://HOST:PORT/DB [--seed-from-local]]
                              run the gateway and its console (Ctrl-C stops it); with --redis it
                              shares its pool with the other gateways of that team
                              (team secret from SWITCHYARD_TEAM_SECRET)
  team status                 the gateways of the team this data folder's gateway belongs to
${ACCOUNT_KIND_NAMES.map((k) => `  accounts add ${kindExample(k)}`).join('\n')}
  accounts add --preset ID --key-env VAR --label NAME
                              a known provider's base URL and key scheme, ID one of
                              ${ACCOUNT_PRESETS.map((p) => p.id).join(', ')}
                              every add takes [--group NAME]
  accounts login --provider antigravity
                              sign in a Google account: open the printed link, or paste the code
  accounts list [--json]
  accounts test ID|LABEL      one cheap real request through the account: does its key work?
  accounts edit ID|LABEL [--label NEW] [--group NAME | --no-group] [--base-url URL]
               [--auth-scheme x-api-key|bearer] [--[no-]strip-cache-control] [--[no-]count-tokens]
  accounts remove|enable|disable ID|LABEL
  accounts group ID|LABEL NAME | --clear   (rules can name a group instead of accounts)
  accounts export FILE [--include-secrets] [--force]
  accounts import FILE
  claude connect|status|disconnect [--project DIR]
                              point Claude Code's settings at this gateway, check them, put them back
  config get [KEY]
  config set KEY VALUE        keys: port, host, api_key, auth_mode (off|strict|all-except-health), request_deadline_ms,
                              google.client_id, google.client_secret, antigravity.base_urls URL[,URL...], ...
  config get prices | config set price.MODEL INPUT,OUTPUT,CACHE_WRITE,CACHE_READ|default
                              US$ per million tokens, by upstream model

Every command takes --data-dir DIR (default: ${defaultDataDir(env)}).
switchyard COMMAND --help tells more about a command; switchyard --version prints the version.`;
}

const ACCOUNT_REF = "ID|LABEL is the account's id (or the start of it) or its label, as `accounts list` shows them.";

/** Help by command words. A command with subcommands has a page of its own and one per subcommand. */
const PAGES: Readonly<Record<string, string>> = {
  serve: page(
    'serve [options]',
    `Runs the gateway and the console in this terminal until Ctrl-C. The console is served at
http://127.0.0.1:8046/ui/ with a token in the link serve prints. Only one serve runs per data folder.`,
    [
      '  --port N               the gateway port (default: the port setting, 8045)',
      '  --host ADDRESS         where the gateway listens (default: the host setting, 127.0.0.1)',
      '  --console-port N       the console and control API port (default 8046)',
      '  --quiet                print only the addresses and errors, not each request',
      '  --redis URL            join the team that shares this Redis (secret from SWITCHYARD_TEAM_SECRET)',
      '  --seed-from-local      with --redis: fill an empty team from this data folder',
    ],
  ),
  team: page('team status', 'Shows the gateways of the team that the serve running on this data folder belongs to.'),
  'team status': page(
    'team status',
    'Shows the gateways of the team that the serve running on this data folder belongs to: each one, its address and when it was last seen.',
  ),
  accounts: page(
    'accounts <add|login|list|test|edit|remove|enable|disable|group|export|import> ...',
    `Manages the upstream accounts. With serve running, changes go through it and apply at once.
  add        add an API-key account (or a Google account by its refresh token)
  login      sign in a Google account in the browser
  list       each account's health, cooldowns and usage
  test       make one cheap real request through an account: does its key work?
  edit       change an account's label, group or options (its key: add it again)
  remove     remove an account and its key
  enable     put an account back into service
  disable    take an account out of service, keeping it
  group      put an account in a group, which model rules can name
  export     write the accounts to a file, keys only when asked
  import     add the accounts of an exported file`,
  ),
  'accounts add': page(
    'accounts add --provider KIND|--preset ID --label NAME --key-env VAR [options]',
    `Adds an account. The key is read from the environment variable VAR (or standard input with
--key-stdin), so it never lands in your shell history.
${ACCOUNT_KIND_NAMES.map((k) => `  switchyard accounts add ${kindExample(k)}`).join('\n')}
  switchyard accounts add --preset zai --key-env ZAI_API_KEY --label glm`,
    [
      `  --provider KIND        ${ACCOUNT_KIND_NAMES.join(', ')}`,
      "  --preset ID            a known provider's kind, base URL and key scheme, as the console offers them;",
      "                         --base-url or --auth-scheme given too win over the preset's:",
      ...presetLines('                           '),
      '  --label NAME           the name shown in the console and in X-Account-Email',
      '  --key-env VAR          the environment variable holding the key',
      '  --key-stdin            read the key from standard input',
      '  --group NAME           put the account in a group',
      '  --base-url URL         the upstream address (anthropic: required unless --preset; gemini: optional)',
      '  --auth-scheme x-api-key|bearer   how the key is sent (anthropic)',
      '  --strip-cache-control  drop cache_control for an upstream that refuses it (anthropic)',
      '  --no-count-tokens      estimate count_tokens locally instead of asking the upstream',
      "  --refresh-token-env VAR   a Google account's refresh token (antigravity)",
    ],
  ),
  'accounts login': page(
    'accounts login --provider antigravity',
    'Signs in a Google account: open the printed link in a browser, or paste the code or the address it ends on.',
    ['  --provider antigravity   the only kind with a sign-in'],
  ),
  'accounts list': page('accounts list [--json]', 'Lists the accounts with their health, cooldowns and usage.', [
    '  --json                 print them as JSON',
  ]),
  'accounts test': page(
    'accounts test ID|LABEL',
    `Makes one cheap real request through the account (a token count where the upstream has one, else a one-token message) and says whether its key works; exits 0 only when it does. ${ACCOUNT_REF}`,
  ),
  'accounts edit': page(
    'accounts edit ID|LABEL [--label NEW] [--group NAME | --no-group] [options of its kind]',
    `Changes what is given and keeps the rest. The key is never shown; to change it, add the account again. ${ACCOUNT_REF}`,
    [
      '  --label NEW            a new name',
      '  --group NAME           put the account in a group',
      '  --no-group             take it out of its group',
      '  --base-url URL, --auth-scheme x-api-key|bearer, --[no-]strip-cache-control, --[no-]count-tokens',
      '                         the options of its kind',
    ],
  ),
  'accounts remove': page('accounts remove ID|LABEL', `Removes an account and its key. ${ACCOUNT_REF}`),
  'accounts enable': page('accounts enable ID|LABEL', `Puts an account back into service. ${ACCOUNT_REF}`),
  'accounts disable': page('accounts disable ID|LABEL', `Takes an account out of service; it is kept with its key. ${ACCOUNT_REF}`),
  'accounts group': page(
    'accounts group ID|LABEL NAME | --clear',
    `Puts an account in a group, which model rules can name instead of accounts. ${ACCOUNT_REF}`,
    ['  --clear                take the account out of its group'],
  ),
  'accounts export': page(
    'accounts export FILE [--include-secrets] [--force]',
    'Writes the accounts to FILE (readable by you alone), without their keys unless asked. An existing file is kept unless --force; a symbolic link is never written through.',
    ['  --include-secrets      put the keys and tokens in the file', '  --force                replace FILE if it exists'],
  ),
  'accounts import': page(
    'accounts import FILE',
    'Adds the accounts of an exported file that are not here yet (same kind and label); those without a key are skipped.',
  ),
  claude: CLAUDE_USAGE,
  'claude connect': CLAUDE_USAGE,
  'claude status': CLAUDE_USAGE,
  'claude disconnect': CLAUDE_USAGE,
  config: page('config <get|set> ...', 'Reads and changes the settings, checked as the console checks them. With serve running, changes apply at once.'),
  'config get': page('config get [KEY]', 'Prints one setting, or all of them without KEY. `config get prices` prints the price table.'),
  'config set': page(
    'config set KEY VALUE',
    `Changes one setting. Keys: port, host, api_key, auth_mode (off|strict|all-except-health),
request_deadline_ms, model_rules (JSON), google.client_id, google.client_secret,
antigravity.base_urls URL[,URL...], price.MODEL INPUT,OUTPUT,CACHE_WRITE,CACHE_READ (US$ per million
tokens) or price.MODEL default, and the others \`config get\` lists.`,
  ),
};

/** The help for the command named by `words` (its longest known start), or null for an unknown command. */
export function helpFor(words: readonly string[], env?: NodeJS.ProcessEnv): string | null {
  for (let n = Math.min(words.length, 2); n > 0; n--) {
    const text = PAGES[words.slice(0, n).join(' ')];
    if (text !== undefined) return text;
  }
  return words.length === 0 ? mainUsage(env) : null;
}

/** The commands that have a help page of their own, by their words. */
export const HELP_COMMANDS: readonly string[] = Object.keys(PAGES);
