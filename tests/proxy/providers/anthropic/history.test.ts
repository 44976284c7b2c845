import { describe, expect, it } from 'vitest';
import { PreparedRequest } from '../../../../src-proxy/anthropic/prepared-request.js';
import type { ContentBlock, InputMessage, MessagesRequest } from '../../../../src-proxy/anthropic/types.js';
import { anthropicHistory } from '../../../../src-proxy/providers/anthropic/history.js';
import { encodeSignature } from '../../../../src-proxy/providers/gemini/signature-cache.js';

const GEMINI = encodeSignature('gemini-3-pro', 'G');
const ANTHROPIC = 'EqQBCkgIARABGAIiQL2';
const thinking = (signature: string | undefined, text = 'hmm'): ContentBlock => ({
  type: 'thinking',
  thinking: text,
  ...(signature === undefined ? {} : { signature }),
});
const toolUse: ContentBlock = { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } };
const toolResult: ContentBlock = { type: 'tool_result', tool_use_id: 'toolu_1', content: 'a.txt' };
const text = (t: string): ContentBlock => ({ type: 'text', text: t });

function request(messages: InputMessage[], extra: Partial<MessagesRequest> = {}): PreparedRequest {
  return new PreparedRequest({ model: 'claude-sonnet-4-5', max_tokens: 4096, messages, ...extra }, Buffer.from('{}'));
}
const ON = { thinking: { type: 'enabled', budget_tokens: 2048 } };

describe('anthropicHistory', () => {
  it.each<[string, ContentBlock[], Partial<MessagesRequest>, ContentBlock[], unknown, string[]]>([
    ["Anthropic's own thinking in a tool loop: kept, thinking stays on", [thinking(ANTHROPIC), toolUse], ON, [thinking(ANTHROPIC), toolUse], ON.thinking, []],
    [
      "another family's thinking in a tool loop: dropped, and thinking off for this turn",
      [thinking(GEMINI), toolUse],
      ON,
      [toolUse],
      { type: 'disabled' },
      ['thinking_dropped', 'thinking_off_tool_turn'],
    ],
    ['an unsigned thinking block: dropped', [thinking(''), toolUse], ON, [toolUse], { type: 'disabled' }, ['thinking_dropped', 'thinking_off_tool_turn']],
    ['a block without a signature field: dropped', [thinking(undefined), toolUse], {}, [toolUse], undefined, ['thinking_dropped']],
    [
      'redacted thinking is Anthropic’s: kept',
      [{ type: 'redacted_thinking', data: 'x' }, toolUse],
      ON,
      [{ type: 'redacted_thinking', data: 'x' }, toolUse],
      ON.thinking,
      [],
    ],
    ['a tool turn without thinking while thinking is off: as it is', [toolUse], {}, [toolUse], undefined, []],
    ['a tool turn without thinking while thinking is on: thinking off', [toolUse], ON, [toolUse], { type: 'disabled' }, ['thinking_off_tool_turn']],
  ])('%s', (_title, turn, extra, expectedTurn, expectedThinking, notes) => {
    const req = request(
      [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: turn },
        { role: 'user', content: [toolResult] },
      ],
      extra,
    );
    const out = anthropicHistory(req);
    expect(out.body.messages[1]!.content).toEqual(expectedTurn);
    expect(out.body.thinking).toEqual(expectedThinking);
    expect(out.notes).toEqual(notes);
    if (notes.length === 0) expect(out).toBe(req);
  });

  it('drops thinking another Anthropic-compatible upstream signed, and keeps what the target signed', () => {
    const ZAI = 'zai-signed';
    const req = request(
      [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [thinking(ZAI), toolUse] },
        { role: 'user', content: [toolResult] },
      ],
      ON,
    );
    const onClaude = anthropicHistory(req, (signature) => signature === ZAI);
    expect(onClaude.body.messages[1]!.content).toEqual([toolUse]);
    expect(onClaude.body.thinking).toEqual({ type: 'disabled' });
    expect(onClaude.notes).toEqual(['thinking_dropped', 'thinking_off_tool_turn']);
    expect(anthropicHistory(req, () => false)).toBe(req);
  });

  it('drops foreign thinking from earlier turns too, and keeps a turn that held nothing else', () => {
    const req = request([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: [thinking(GEMINI)] },
      { role: 'user', content: 'two' },
      { role: 'assistant', content: [thinking(GEMINI), text('answer')] },
      { role: 'user', content: 'three' },
    ]);
    const out = anthropicHistory(req).body.messages;
    expect(out[1]!.content).toEqual([text('(thinking omitted)')]);
    expect(out[3]!.content).toEqual([text('answer')]);
  });

  it('leaves thinking on when the request does not continue a tool loop', () => {
    const req = request(
      [
        { role: 'user', content: 'one' },
        { role: 'assistant', content: [thinking(GEMINI), text('a')] },
        { role: 'user', content: 'two' },
      ],
      ON,
    );
    expect(anthropicHistory(req).body.thinking).toEqual(ON.thinking);
  });

  it('takes out the context edits that need thinking when it turns thinking off', () => {
    const edits = [{ type: 'clear_thinking_20251015' }, { type: 'clear_tool_uses_20250919' }];
    const req = request(
      [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [toolUse] },
        { role: 'user', content: [toolResult] },
      ],
      {
        ...ON,
        context_management: { edits },
      },
    );
    expect(anthropicHistory(req).body.context_management).toEqual({ edits: [{ type: 'clear_tool_uses_20250919' }] });
  });
});
