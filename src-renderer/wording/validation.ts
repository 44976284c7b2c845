// The console's sentences for what was wrong with a value, one per code the core and the contract's
// schemas report. Shown beside the field itself, or after the field's name where there is no field.

import type { ValidationCode, ValidationIssue } from '../../src-proxy/contract/index.js';

const ISSUE_WORDS: Readonly<Record<ValidationCode, (i: ValidationIssue) => string>> = {
  required: () => 'This is needed.',
  empty: () => 'This cannot be empty.',
  too_short: (i) => `Use at least ${i.limit} characters.`,
  too_long: (i) => `Use at most ${i.limit} characters.`,
  too_small: (i) => `Use ${i.limit} or more.`,
  too_big: (i) => `Use ${i.limit} or less.`,
  too_many: (i) => `Give at most ${i.limit}.`,
  not_url: () => 'Enter a full address, such as https://api.example.com.',
  not_http_url: () => 'The address must start with https:// or http://.',
  not_integer: () => 'Use a whole number.',
  not_number: () => 'Use a number.',
  not_text: () => 'Use text here.',
  not_yes_no: () => 'Choose on or off.',
  not_list: () => 'Give a list here.',
  not_one_of: (i) => (i.choices && i.choices.length > 0 ? `Choose one of: ${i.choices.join(', ')}.` : 'Choose one of the offered values.'),
  unknown_field: (i) => `"${i.field ?? i.path.at(-1) ?? ''}" is not something Switchyard knows here.`,
  duplicate_name: () => 'An account or group is named twice.',
  duplicate_price: () => 'Each model can have one price only.',
  invalid: () => 'This value is not valid.',
};

/** The sentence shown beside the field the issue is about. */
export function describeIssue(issue: ValidationIssue): string {
  return (ISSUE_WORDS[issue.code] ?? ISSUE_WORDS.invalid)(issue);
}

/** Names of the fields the core reports issues about, where no field is on screen to show them by. */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  label: 'Label',
  group: 'Group',
  api_key: 'API key',
  refresh_token: 'Refresh token',
  base_url: 'Base URL',
  auth_scheme: 'Send the key as',
  project_id: 'Code Assist project',
  port: 'Port',
  console_port: 'Console port',
  host: 'Listen address',
  auth_mode: 'Authentication',
  model_rules: 'Model rules',
  model_prices: 'Prices',
  path: 'File path',
};

/** "Base URL: Enter a full address, such as https://api.example.com." for each issue, in one line. */
export function describeIssues(issues: readonly ValidationIssue[]): string {
  // One sentence per place: a value refused for two reasons is told the first.
  const seen = new Set<string>();
  return issues
    .filter((i) => {
      const key = i.path.join('.');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((i) => {
      const name = [...i.path].reverse().find((p): p is string => typeof p === 'string' && p !== i.field);
      const field = name === undefined ? null : (FIELD_NAMES[name] ?? name);
      return field ? `${field}: ${describeIssue(i)}` : describeIssue(i);
    })
    .join(' ');
}
