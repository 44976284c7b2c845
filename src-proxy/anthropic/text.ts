import type { ContentBlock, InputMessage } from './types.js';

/** The plain text of a message's content: the string, or its text blocks joined. */
export function contentText(content: InputMessage['content'] | undefined): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const block of content as ContentBlock[]) {
    if (block.type === 'text' && typeof block.text === 'string') out += out ? `\n${block.text}` : block.text;
  }
  return out;
}
