import { describe, expect, it } from 'vitest';
import type { MessagesRequest } from '../../../../src-proxy/anthropic/types.js';
import { toCodeAssistCount, toCodeAssistRequest, unwrapResponse } from '../../../../src-proxy/providers/antigravity/envelope.js';
import { SignatureCache } from '../../../../src-proxy/providers/gemini/signature-cache.js';
import { ToolNameMap } from '../../../../src-proxy/providers/gemini/tool-names.js';

const ctx = (model: string) => ({ model, project: 'proj', names: new ToolNameMap([]), signatures: new SignatureCache(), requestId: 'agent-x' });
const req = (over: Partial<MessagesRequest> = {}): MessagesRequest => ({ model: 'x', max_tokens: 8000, messages: [{ role: 'user', content: 'Hi' }], ...over });

describe('toCodeAssistRequest', () => {
  it('wraps the Gemini request (thinking settings as the Gemini mapper makes them) with the model, project and Code Assist fields', () => {
    expect(toCodeAssistRequest(req({ metadata: { user_id: 'u1' } }), ctx('gemini-2.5-flash'))).toEqual({
      model: 'gemini-2.5-flash',
      project: 'proj',
      requestId: 'agent-x',
      userAgent: 'antigravity',
      requestType: 'agent',
      request: {
        contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
        generationConfig: { maxOutputTokens: 8000, thinkingConfig: { includeThoughts: false, thinkingBudget: 0 } },
        sessionId: 'u1',
      },
    });
  });

  it('gives a Claude thinking variant a budget and no Gemini thinking settings', () => {
    const out = toCodeAssistRequest(req({ thinking: { type: 'enabled', budget_tokens: 3000 } }), ctx('claude-sonnet-4-5-thinking'));
    expect(out.request.generationConfig).toEqual({ maxOutputTokens: 8000, thinkingConfig: { includeThoughts: true, thinkingBudget: 3000 } });
  });

  it('asks Claude to validate its calls against the declarations, unless tool_choice said otherwise', () => {
    const tools = [{ name: 'Bash', input_schema: { type: 'object', properties: { c: { type: 'string' } } } }];
    expect(toCodeAssistRequest(req({ tools }), ctx('claude-sonnet-4-5')).request.toolConfig).toEqual({ functionCallingConfig: { mode: 'VALIDATED' } });
    expect(toCodeAssistRequest(req({ tools, tool_choice: { type: 'any' } }), ctx('claude-sonnet-4-5')).request.toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY' },
    });
    expect(toCodeAssistRequest(req({ tools }), ctx('gemini-2.5-flash')).request.toolConfig).toBeUndefined();
  });
});

describe('toCodeAssistCount', () => {
  it('keeps the contents only, with thoughts as plain text', () => {
    const out = toCodeAssistCount(
      {
        contents: [{ role: 'model', parts: [{ text: 'hmm', thought: true, thoughtSignature: 'sig' }, { text: 'ok' }] }],
        systemInstruction: { parts: [{ text: 's' }] },
      },
      'gemini-2.5-flash',
    );
    expect(out).toEqual({ request: { model: 'models/gemini-2.5-flash', contents: [{ role: 'model', parts: [{ text: 'hmm' }, { text: 'ok' }] }] } });
  });
});

describe('unwrapResponse', () => {
  it.each<[unknown, unknown]>([
    [{ response: { candidates: [] }, traceId: 't' }, { candidates: [] }],
    [{ traceId: 't' }, {}],
    [{ error: { code: 500 } }, { error: { code: 500 } }],
    [null, {}],
  ])('%j → %j', (input, out) => {
    expect(unwrapResponse(input)).toEqual(out);
  });
});
