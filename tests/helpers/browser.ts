// What a browser does with a sign-in link: open it, follow the authorization endpoint's redirect to the
// loopback listener, and show the page found there.

import { request } from 'undici';

export interface BrowsedPage {
  status: number;
  html: string;
  /** Where the authorization endpoint sent the browser (the redirect URI with code and state). */
  redirectedTo: string | null;
}

export async function openInBrowser(url: string, maxRedirects = 3): Promise<BrowsedPage> {
  let next = url;
  let redirectedTo: string | null = null;
  for (let i = 0; i <= maxRedirects; i++) {
    const res = await request(next, { headers: { accept: 'text/html' } });
    const location = res.headers.location;
    if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
      await res.body.dump();
      next = new URL(location, next).toString();
      redirectedTo = next;
      continue;
    }
    return { status: res.statusCode, html: await res.body.text(), redirectedTo };
  }
  throw new Error(`more than ${maxRedirects} redirects from ${url}`);
}

/** The authorization endpoint's redirect, without following it: what a user copies from the address bar. */
export async function authorizeWithoutFollowing(url: string): Promise<string> {
  const res = await request(url);
  await res.body.dump();
  const location = res.headers.location;
  if (typeof location !== 'string') throw new Error(`no redirect from the authorization endpoint (HTTP ${res.statusCode})`);
  return location;
}

/** Whether anything still listens at `url`'s address. */
export async function isListening(url: string): Promise<boolean> {
  try {
    const res = await request(url, { headersTimeout: 2000, bodyTimeout: 2000 });
    await res.body.dump();
    return true;
  } catch {
    return false;
  }
}
