// The console token arrives once in the URL fragment (which browsers never send to a server), moves to
// this tab's sessionStorage, and the fragment is cleared so it does not linger in the address bar,
// history or a screenshot.

const STORAGE_KEY = 'switchyard.console-token';

export interface TokenPlace {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState'>;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

/** Takes a `#token=` from the address into storage, and returns the stored token (or null). */
export function takeConsoleToken({ location, history, storage }: TokenPlace): string | null {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromUrl = fragment.get('token')?.trim();
  if (fromUrl) {
    storage.setItem(STORAGE_KEY, fromUrl);
    history.replaceState(null, '', `${location.pathname}${location.search}`);
  }
  return storage.getItem(STORAGE_KEY);
}

export function storeConsoleToken(storage: TokenPlace['storage'], token: string): void {
  storage.setItem(STORAGE_KEY, token.trim());
}

export function forgetConsoleToken(storage: TokenPlace['storage']): void {
  storage.removeItem(STORAGE_KEY);
}
