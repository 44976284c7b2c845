// A validated request on its way upstream, with its JSON bytes produced at most once. When nothing was
// changed since the client sent it, the client's own bytes are reused: no re-serialisation of a large
// conversation on the hot path.

import type { NoteCode } from '../contract/index.js';
import type { MessagesRequest } from './types.js';

const NO_NOTES: readonly NoteCode[] = Object.freeze([]);

export class PreparedRequest<R extends object = MessagesRequest> {
  private bytes: Buffer | null;

  constructor(
    readonly body: R,
    /** The client's bytes, valid only if `body` is exactly what they encode. */
    original: Buffer | null = null,
    /** What was changed about the client's request on its way here, as codes for the log. */
    readonly notes: readonly NoteCode[] = NO_NOTES,
  ) {
    this.bytes = original;
  }

  toBuffer(): Buffer {
    return (this.bytes ??= Buffer.from(JSON.stringify(this.body)));
  }

  /** A request with a changed body; the original bytes no longer apply. `notes` say what changed. */
  with(body: R, notes: readonly NoteCode[] = NO_NOTES): PreparedRequest<R> {
    if (body === this.body) return this;
    return new PreparedRequest(body, null, notes.length === 0 ? this.notes : [...this.notes, ...notes]);
  }

  /**
   * A variant of this request made once and kept: attempts on several accounts that need the same
   * conversion (cache_control stripped, say) convert and serialize it once.
   */
  variant(key: string, make: (req: PreparedRequest<R>) => PreparedRequest<R>): PreparedRequest<R> {
    this.variants ??= new Map();
    let v = this.variants.get(key);
    if (!v) {
      v = make(this);
      this.variants.set(key, v);
    }
    return v;
  }

  private variants: Map<string, PreparedRequest<R>> | null = null;
}
