// What a model id may look like. The id travels into response headers (`X-Mapped-Model`), the request
// log and upstream URLs, so it is held to what real providers use: printable ASCII letters, digits and
// `- _ . : / @ [ ]` (`claude-opus-4-8[1m]`, `anthropic/claude-sonnet-4.5`, `claude-3-5-sonnet@20240620`,
// `accounts/fireworks/models/x`). No spaces, no control characters, nothing beyond ASCII.

/** Longer than any id a provider uses, short enough for any header. */
export const MAX_MODEL_ID_LENGTH = 256;

/** The characters allowed, as the pattern the error message quotes. */
export const MODEL_ID_PATTERN = /^[a-zA-Z0-9._:/@[\]-]+$/;

/** True when `id` is a model id that is safe to echo anywhere, response headers included. */
export function isValidModelId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_MODEL_ID_LENGTH && MODEL_ID_PATTERN.test(id);
}
