// Where the core sends a problem when its shell gave it nowhere else to go: Node's own warning channel
// (stderr by default, silenced or redirected with Node's usual flags), never a stray console line.

export function reportUnhandled(context: string, error: unknown): void {
  const warning = error instanceof Error ? error : new Error(String(error));
  process.emitWarning(warning, { type: 'SwitchyardWarning', detail: context });
}
