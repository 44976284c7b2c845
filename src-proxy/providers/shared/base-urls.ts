// An account's base URL split into the origin undici dispatches to and the path prefix requests go
// under, parsed once per URL rather than once per request.

export interface BaseUrl {
  origin: string;
  /** Without a trailing slash; '' for an origin alone. */
  path: string;
}

const MAX_ENTRIES = 1000;

export class BaseUrls {
  private readonly parsed = new Map<string, BaseUrl>();

  of(url: string): BaseUrl {
    let base = this.parsed.get(url);
    if (!base) {
      const u = new URL(url);
      base = { origin: u.origin, path: u.pathname.replace(/\/+$/, '') };
      // Accounts are few; a bound keeps a client that keeps changing them from growing this forever.
      if (this.parsed.size >= MAX_ENTRIES) this.parsed.clear();
      this.parsed.set(url, base);
    }
    return base;
  }
}
