// The console's names for the providers the Add account form starts from, and a line on each.

import type { AccountPresetId } from '../../src-proxy/contract/index.js';

export const PRESET_WORDS: Readonly<Record<AccountPresetId, { label: string; hint: string }>> = {
  anthropic: { label: 'Anthropic', hint: 'An Anthropic API key (console.anthropic.com).' },
  zai: { label: 'z.ai', hint: 'GLM models with a z.ai API key. In mainland China: https://open.bigmodel.cn/api/anthropic' },
  kimi: { label: 'Kimi', hint: 'Kimi models with a Moonshot API key. In mainland China: https://api.moonshot.cn/anthropic' },
  deepseek: { label: 'DeepSeek', hint: 'DeepSeek models; Claude model names are mapped to DeepSeek ones by DeepSeek.' },
  minimax: { label: 'MiniMax', hint: 'MiniMax models. In mainland China: https://api.minimaxi.com/anthropic' },
  gemini: { label: 'Gemini API', hint: 'A Gemini API key from Google AI Studio; Claude requests are translated.' },
};
