// The console's words for the account kinds are keyed by kind and by each kind's options, so a kind or
// an option added to the contract has its words before the console builds.

import { describe, expect, it } from 'vitest';
import { ACCOUNT_KIND_NAMES, ACCOUNT_KINDS, accountKindSpec } from '../../../src-proxy/contract/index.js';
import { optionFields } from '../../../src-renderer/pages/accounts/option-fields.js';
import { KIND_LABELS, OPTION_LABELS, SECRET_LABELS, type OptionWordingTable } from '../../../src-renderer/wording/option-labels.js';

describe('the wording of the account kinds', () => {
  it.each(ACCOUNT_KIND_NAMES)('%s: has a name, a secret label and words for every option the form shows', (kind) => {
    expect(KIND_LABELS[kind]).toBeTruthy();
    expect(SECRET_LABELS[accountKindSpec(kind).secret]).toBeTruthy();
    const shown = optionFields(ACCOUNT_KINDS[kind].options).map((f) => f.name);
    expect(Object.keys(OPTION_LABELS[kind]).sort()).toEqual(shown.sort());
  });

  it('does not build without words for a kind or one of its options (checked by the compiler)', () => {
    // @ts-expect-error every kind has its options' words
    const noKind: OptionWordingTable = { anthropic: OPTION_LABELS.anthropic, gemini: OPTION_LABELS.gemini };
    const noOption: OptionWordingTable = {
      ...OPTION_LABELS,
      // @ts-expect-error every option of a kind has its words
      gemini: { base_url: { label: 'Base URL' } },
    };
    expect([noKind, noOption]).toHaveLength(2);
  });
});
