// The per-request line `serve` prints. Writing to stdout is synchronous for files and pipes on Linux, so
// one write per request costs a system call on the request path; lines are gathered and written
// together a few times a second instead.

const DEFAULT_LINE_FLUSH_MS = 100;

export class LineBatcher {
  private lines: string[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (text: string) => void,
    private readonly flushMs = DEFAULT_LINE_FLUSH_MS,
  ) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.flushMs);
    // Shutdown calls flush(); a pending batch must not keep the process alive on its own.
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.lines.length === 0) return;
    const text = this.lines.join('\n');
    this.lines = [];
    this.write(text);
  }
}
