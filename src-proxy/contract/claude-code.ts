import { z } from 'zod';

/**
 * Which Claude Code settings file: the user's (`$CLAUDE_CONFIG_DIR/settings.json`, else
 * `~/.claude/settings.json`), or a project's own `DIR/.claude/settings.local.json`. `config_dir` names
 * the user's Claude folder when the caller's differs from the core's (the CLI passes its own
 * CLAUDE_CONFIG_DIR); the file name is always Claude Code's, so no other file can be written.
 */
export const ClaudeCodeTargetSchema = z
  .object({
    project_dir: z.string().trim().min(1).optional(),
    config_dir: z.string().trim().min(1).optional(),
  })
  .strict();
export type ClaudeCodeTarget = z.infer<typeof ClaudeCodeTargetSchema>;

/** Claude Code's model slots, set with `ANTHROPIC_DEFAULT_<SLOT>_MODEL` when asked. */
export const CLAUDE_MODEL_SLOTS = ['opus', 'sonnet', 'haiku'] as const;
export type ClaudeModelSlot = (typeof CLAUDE_MODEL_SLOTS)[number];

export const ClaudeCodeConnectSchema = ClaudeCodeTargetSchema.extend({
  /** Default models for Claude Code's slots; a slot left out is not touched. */
  models: z
    .object({
      opus: z.string().trim().min(1).optional(),
      sonnet: z.string().trim().min(1).optional(),
      haiku: z.string().trim().min(1).optional(),
    })
    .strict()
    .optional(),
}).strict();
export type ClaudeCodeConnect = z.infer<typeof ClaudeCodeConnectSchema>;

/** Why Claude Code does not (or no longer quite) use this gateway. */
export const CLAUDE_CODE_DRIFTS = [
  /** The file points at this machine on another port than the gateway's. */
  'port',
  /** Authentication is on and the file holds another key (or none). */
  'key',
  /** The file points somewhere else, or nowhere. */
  'base_url',
  /** An `apiKeyHelper` is back: its key wins over the gateway's. */
  'api_key_helper',
] as const;
export type ClaudeCodeDrift = (typeof CLAUDE_CODE_DRIFTS)[number];

export interface ClaudeCodeStatus {
  /** The settings file looked at. */
  settings_file: string;
  /** The file exists. */
  exists: boolean;
  /** Claude Code reaches this gateway with what the file says: the address and, with auth on, the key. */
  connected: boolean;
  /** Switchyard connected this file and keeps its previous values to restore. */
  linked: boolean;
  /** What differs from the gateway as it is now; empty when connected. */
  drift: ClaudeCodeDrift[];
  /** `ANTHROPIC_BASE_URL` as the file has it, null when absent. */
  base_url: string | null;
  /** The address Claude Code should have. */
  gateway_url: string;
}

export interface ClaudeCodeConnectResult {
  status: ClaudeCodeStatus;
  /** The file was linked already: its previous values were kept as they were. */
  already_linked: boolean;
  /** The file did not exist and was created. */
  created: boolean;
}

export interface ClaudeCodeDisconnectResult {
  status: ClaudeCodeStatus;
  /**
   * `file`: the file is back byte for byte as it was (or gone again, when connect created it);
   * `keys`: something else changed it meanwhile, so only Switchyard's keys were put back;
   * `file_gone`: the file was removed meanwhile, and is left removed;
   * `not_linked`: Switchyard had not connected this file, and nothing was changed.
   */
  restored: 'file' | 'keys' | 'file_gone' | 'not_linked';
  /** With `keys`: keys another program changed since, left as they are. */
  kept: string[];
}
