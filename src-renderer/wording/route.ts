import type { LinkRecord, NoteCode } from '../../src-proxy/contract/index.js';
import { formatTime } from '../format/format.js';
import { describeFailure } from './errors.js';
import { KIND_LABELS } from './option-labels.js';

const NOTE_WORDS: Readonly<Record<NoteCode, string>> = {
  thinking_dropped: 'Thinking another model or upstream wrote was left out of the history: the upstream that served could not have verified it.',
  thinking_off_tool_turn:
    'Thinking was off for this request: it continues a tool call whose turn had no thinking the upstream could verify, which a thinking Claude refuses. The next turn thinks again.',
  thinking_variant: 'The account offers only the thinking variant of this model; that variant served it.',
  tool_turn_as_text:
    'The tool turn this request continues was sent as text: its thinking could not be verified, and the model cannot take it with thinking off.',
};

export function describeNote(note: NoteCode): string {
  return NOTE_WORDS[note];
}

/** A link as a user reads it: the provider, the model, and the accounts it is narrowed to. */
export function linkName(l: LinkRecord): string {
  return `${KIND_LABELS[l.provider]} ${l.model}${l.accounts ? ` (${l.accounts.join(', ')})` : ''}`;
}

/** What became of a link, and why when it did not serve. */
export function linkOutcome(l: LinkRecord): string {
  switch (l.outcome) {
    case 'served':
      return 'served';
    case 'not_reached':
      return 'not needed';
    case 'failed':
      return `failed${l.reason ? `: ${reasonWords(l.reason)}` : ''}`;
    case 'skipped':
      return `skipped${l.reason ? `: ${reasonWords(l.reason)}` : ''}${l.until !== null ? ` until ${formatTime(l.until)}` : ''}`;
  }
}

function reasonWords(reason: NonNullable<LinkRecord['reason']>): string {
  if (reason === 'no_accounts') return 'no enabled account matches';
  if (reason === 'exhausted') return 'every account already failed';
  return describeFailure(reason);
}
