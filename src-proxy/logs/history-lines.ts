// Parsing of the JSON-lines history file. A crash mid-append can leave the last line cut short (or, on
// some filesystems, padded with NUL bytes); that tail is expected and is not a reason to drop the file.

import { RequestLogEntrySchema, type RequestLogEntry } from '../contract/index.js';
import type { LoggedEntry } from './logged-entry.js';

export interface ParsedHistory {
  /** Valid entries in file order, oldest first, including a valid unterminated last line. */
  entries: RequestLogEntry[];
  /** Newline-terminated lines that did not parse or validate. */
  invalidLines: number;
  /** Text after the last newline, '' when the file ends with one. */
  tail: string;
  /** Whether `tail` held a valid entry (then it only lacks its newline). */
  tailValid: boolean;
}

export function parseHistory(text: string): ParsedHistory {
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  const entries: RequestLogEntry[] = [];
  let invalidLines = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const entry = parseLine(line);
    if (entry) entries.push(entry);
    else invalidLines++;
  }
  const tailEntry = tail.trim() === '' ? undefined : parseLine(tail);
  if (tailEntry) entries.push(tailEntry);
  return { entries, invalidLines, tail, tailValid: tailEntry !== undefined };
}

/**
 * A file is unusable when nothing in it is an entry and it is not merely one torn first write: some
 * whole line is bad, or the tail does not even start like a JSON object.
 */
export function isUnusable(parsed: ParsedHistory): boolean {
  if (parsed.entries.length > 0) return false;
  const tail = parsed.tail.replace(/\0+$/, '').trim();
  return parsed.invalidLines > 0 || (tail !== '' && !tail.startsWith('{'));
}

/** Entries as file lines: each one's JSON, already made when it was logged. */
export function serializeEntries(entries: readonly LoggedEntry[]): string {
  let out = '';
  for (const entry of entries) out += `${entry.json}\n`;
  return out;
}

function parseLine(line: string): RequestLogEntry | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = RequestLogEntrySchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
