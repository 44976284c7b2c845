// The accounts export file: what a user carries to another machine or keeps as a backup. It holds the
// accounts' kinds, labels and options, and their keys or refresh tokens only when the user asked for them.
// Learned state, health and counters stay behind: they belong to the machine that used the account.

import { z } from 'zod';
import { ACCOUNT_KINDS, NewAccountSchema, type Account, type NewAccount } from '../contract/index.js';

export const EXPORT_FORMAT = 'switchyard-accounts';
const EXPORT_VERSION = 1;

const ExportedAccountSchema = z.object({
  provider: z.string(),
  label: z.string(),
  group: z.string().nullable().optional(),
  enabled: z.boolean(),
  options: z.record(z.string(), z.unknown()),
  secret: z.string().optional(),
});

const ExportFileSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exported_at: z.number(),
  accounts: z.array(ExportedAccountSchema),
});

export function exportFileText(accounts: readonly Account[], secretOf: ((id: string) => string | undefined) | null, now: number): string {
  const file: z.infer<typeof ExportFileSchema> = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exported_at: now,
    accounts: accounts.map((a) => {
      const secret = secretOf?.(a.id);
      return {
        provider: a.provider,
        label: a.label,
        ...(a.group ? { group: a.group } : {}),
        enabled: a.enabled,
        options: a.options,
        ...(secret ? { secret } : {}),
      };
    }),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export interface ParsedExport {
  /** Entries that can become accounts here: a known kind, valid options, and a secret. */
  accounts: NewAccount[];
  /** Entries left out: no secret in the file, a kind this version does not know, or options it rejects. */
  unusable: number;
}

/** Reads an export file's text; null when it is not one. */
export function parseExportFile(text: string): ParsedExport | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const file = ExportFileSchema.safeParse(raw);
  if (!file.success) return null;
  const accounts: NewAccount[] = [];
  let unusable = 0;
  for (const entry of file.data.accounts) {
    const kind = Object.hasOwn(ACCOUNT_KINDS, entry.provider) ? ACCOUNT_KINDS[entry.provider as keyof typeof ACCOUNT_KINDS] : null;
    if (!kind || !entry.secret) {
      unusable++;
      continue;
    }
    const parsed = NewAccountSchema.safeParse({
      provider: entry.provider,
      label: entry.label,
      ...(entry.group ? { group: entry.group } : {}),
      enabled: entry.enabled,
      options: entry.options,
      [kind.secret]: entry.secret,
    });
    if (parsed.success) accounts.push(parsed.data);
    else unusable++;
  }
  return { accounts, unusable };
}
