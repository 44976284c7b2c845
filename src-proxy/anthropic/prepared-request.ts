// A validated request on its way upstream, with its JSON bytes produced at most once. When nothing was
// changed since the client sent it, the client's own bytes are reused: no re-serialisation of a large
// conversation on the hot path.

import type { MessagesRequest } from './types.js';

export class PreparedRequest<R extends object = MessagesRequest> {
  private bytes: Buffer | null;

  constructor(
    readonly body: R,
    /** The client's bytes, valid only if `body` is exactly what they encode. */
    original: Buffer | null = null,
  ) {
    this.bytes = original;
  }

  toBuffer(): Buffer {
    return (this.bytes ??= Buffer.from(JSON.stringify(this.body)));
  }

  /** A request with a changed body; the original bytes no longer apply. */
  with(body: R): PreparedRequest<R> {
    return body === this.body ? this : new PreparedRequest(body);
  }
}
