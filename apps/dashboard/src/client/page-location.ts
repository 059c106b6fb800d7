/** What the page's URL fragment says: which search and candidate are open, and a token handed over once. */
export interface PageLocation {
  search: string | null;
  candidate: string | null;
  token: string | null;
}

/** Reads `#search=…&candidate=…&token=…` (any may be absent). */
export function parseFragment(hash: string): PageLocation {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return { search: params.get('search'), candidate: params.get('candidate'), token: params.get('token') };
}

/** The fragment for a search and candidate; the token is never written back into the URL. */
export function fragmentOf(location: Pick<PageLocation, 'search' | 'candidate'>): string {
  const params = new URLSearchParams();
  if (location.search) params.set('search', location.search);
  if (location.candidate) params.set('candidate', location.candidate);
  const text = params.toString();
  return text ? `#${text}` : '';
}

const TOKEN_KEY = 'nasfleet.token';

/** The token kept for this tab (sessionStorage: gone when the tab closes), or null. */
export const storedToken = (storage: Storage): string | null => storage.getItem(TOKEN_KEY);
export const storeToken = (storage: Storage, token: string): void => storage.setItem(TOKEN_KEY, token);
export const forgetToken = (storage: Storage): void => storage.removeItem(TOKEN_KEY);
