import { describe, expect, it } from 'vitest';
import { activeToolTurn, startsWithThinking, withThinkingOff, withToolTurnAsText } from '../../../src-proxy/anthropic/tool-turn.js';
import type { ContentBlock, InputMessage } from '../../../src-proxy/anthropic/types.js';

const toolUse: ContentBlock = { type: 'tool_use', id: 't', name: 'Bash', input: {} };
const toolResult: ContentBlock = { type: 'tool_result', tool_use_id: 't', content: 'x' };
const turn: InputMessage = { role: 'assistant', content: [{ type: 'thinking', thinking: 'a', signature: 's' }, toolUse] };

describe('activeToolTurn', () => {
  it.each<[string, InputMessage[], InputMessage | null]>([
    ['the answer to a tool call', [{ role: 'user', content: 'go' }, turn, { role: 'user', content: [toolResult] }], turn],
    [
      'a system message in between is passed over',
      [{ role: 'user', content: 'go' }, turn, { role: 'system', content: 's' }, { role: 'user', content: [toolResult] }],
      turn,
    ],
    ['a new question is no tool loop', [{ role: 'user', content: 'go' }, turn, { role: 'user', content: 'and?' }], null],
    [
      'an assistant turn without tool calls',
      [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: 'hi' },
        { role: 'user', content: [toolResult] },
      ],
      null,
    ],
    ['a prefill', [{ role: 'user', content: 'go' }, turn], null],
    ['no messages', [], null],
  ])('%s', (_title, messages, expected) => {
    expect(activeToolTurn(messages)).toBe(expected);
  });
});

describe('startsWithThinking', () => {
  it('asks the target whether the first block, a thinking one, is verifiable', () => {
    expect(startsWithThinking(turn, () => true)).toBe(true);
    expect(startsWithThinking(turn, () => false)).toBe(false);
    expect(startsWithThinking({ role: 'assistant', content: [toolUse] }, () => true)).toBe(false);
    expect(startsWithThinking({ role: 'assistant', content: 'text' }, () => true)).toBe(false);
  });
});

describe('withThinkingOff', () => {
  it('disables thinking and drops context_management when only thinking edits were in it', () => {
    expect(
      withThinkingOff({ model: 'm', messages: [], thinking: { type: 'adaptive' }, context_management: { edits: [{ type: 'clear_thinking_20251015' }] } }),
    ).toEqual({
      model: 'm',
      messages: [],
      thinking: { type: 'disabled' },
    });
  });
});

describe('withToolTurnAsText', () => {
  it('tells the calls and their results as text, drops the turn’s thinking, and leaves the rest', () => {
    const req = {
      model: 'm',
      messages: [{ role: 'user' as const, content: 'go' }, turn, { role: 'user' as const, content: [toolResult, { type: 'text', text: 'and more' }] }],
    };
    expect(withToolTurnAsText(req).messages).toEqual([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: [{ type: 'text', text: '[called the tool Bash with {}]' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: '[the tool Bash returned:]\nx' },
          { type: 'text', text: 'and more' },
        ],
      },
    ]);
  });

  it('says a failed call failed, and leaves a request that continues no tool loop as it is', () => {
    const failed = { ...toolResult, is_error: true, content: [{ type: 'text', text: 'boom' }, { type: 'image' }] };
    const req = { model: 'm', messages: [{ role: 'user' as const, content: 'go' }, turn, { role: 'user' as const, content: [failed] }] };
    expect(withToolTurnAsText(req).messages[2]!.content).toEqual([{ type: 'text', text: '[the tool Bash failed:]\nboom\n[image omitted]' }]);
    const plain = { model: 'm', messages: [{ role: 'user' as const, content: 'go' }] };
    expect(withToolTurnAsText(plain)).toBe(plain);
  });
});
