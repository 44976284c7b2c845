// A local input-token estimate for count_tokens when no upstream can count. Current Claude tokenizers
// average roughly 3.5 characters per token on English and code; images and documents are charged the
// API's documented flat-ish costs. The point is a useful, never-zero number for Claude Code's context
// accounting, not an exact one.

import type { ContentBlock, CountTokensRequest } from './types.js';

const CHARS_PER_TOKEN = 3.5;
const IMAGE_TOKENS = 1600; // the API's cost of a ~1.15 megapixel image
const PDF_PAGE_TOKENS = 1500;
const PER_MESSAGE_OVERHEAD = 4;
const PER_TOOL_OVERHEAD = 20;
const REQUEST_OVERHEAD = 8;

function blockChars(block: ContentBlock): { chars: number; fixed: number } {
  switch (block.type) {
    case 'text':
      return { chars: String(block.text ?? '').length, fixed: 0 };
    case 'thinking':
      return { chars: String(block.thinking ?? '').length, fixed: 0 };
    case 'tool_use':
    case 'server_tool_use':
      return { chars: String(block.name ?? '').length + JSON.stringify(block.input ?? {}).length, fixed: 10 };
    case 'tool_result': {
      const content = block.content;
      if (typeof content === 'string') return { chars: content.length, fixed: 10 };
      if (Array.isArray(content)) {
        const inner = sumBlocks(content as ContentBlock[]);
        return { chars: inner.chars, fixed: inner.fixed + 10 };
      }
      return { chars: 0, fixed: 10 };
    }
    case 'image':
      return { chars: 0, fixed: IMAGE_TOKENS };
    case 'document': {
      const source = block.source as { type?: string; data?: unknown } | undefined;
      if (source?.type === 'text' && typeof source.data === 'string') return { chars: source.data.length, fixed: 0 };
      // A base64 PDF: about 75 KB of base64 per page is typical of text PDFs.
      const size = typeof source?.data === 'string' ? source.data.length : 0;
      return { chars: 0, fixed: Math.max(1, Math.ceil(size / 75_000)) * PDF_PAGE_TOKENS };
    }
    default:
      return { chars: JSON.stringify(block).length, fixed: 0 };
  }
}

function sumBlocks(blocks: ContentBlock[]): { chars: number; fixed: number } {
  let chars = 0;
  let fixed = 0;
  for (const b of blocks) {
    const r = blockChars(b);
    chars += r.chars;
    fixed += r.fixed;
  }
  return { chars, fixed };
}

export function estimateInputTokens(req: CountTokensRequest): number {
  let chars = 0;
  let fixed = REQUEST_OVERHEAD;
  if (typeof req.system === 'string') chars += req.system.length;
  else if (Array.isArray(req.system)) chars += sumBlocks(req.system).chars;
  for (const m of req.messages) {
    fixed += PER_MESSAGE_OVERHEAD;
    if (typeof m.content === 'string') {
      chars += m.content.length;
    } else {
      const r = sumBlocks(m.content);
      chars += r.chars;
      fixed += r.fixed;
    }
  }
  for (const tool of req.tools ?? []) {
    fixed += PER_TOOL_OVERHEAD;
    chars += JSON.stringify(tool).length;
  }
  return Math.max(1, Math.ceil(chars / CHARS_PER_TOKEN) + fixed);
}
