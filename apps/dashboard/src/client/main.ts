import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { ApiClient, ApiFailure, apiBaseOf } from './api-client.ts';
import type { SearchSummary } from './api-types.ts';
import { CandidateView } from './candidate-view.ts';
import { byId } from './dom.ts';
import { forgetToken, fragmentOf, parseFragment, storedToken, storeToken } from './page-location.ts';
import { renderSearchList } from './search-list-view.ts';
import { SearchSession } from './search-session.ts';
import { SearchView } from './search-view.ts';

/** How often the list of searches is read again (it has no event stream of its own). */
const LIST_EVERY_MS = 4000;

/**
 * The page: asks for the API token (or takes it once from the URL fragment `#token=…`, then removes
 * it from the URL) and keeps it in sessionStorage; lists the searches; shows the one named in the
 * fragment (`#search=…&candidate=…`), live, and the candidate opened in it.
 */
class Dashboard {
  private session: SearchSession | null = null;
  private view: SearchView | null = null;
  private readonly candidateView: CandidateView;
  private shownCandidate: { id: string; status: string } | null = null;
  private searches: SearchSummary[] = [];
  private listTimer: number | null = null;
  private frame: number | null = null;

  constructor(private readonly api: ApiClient, private readonly signOut: (why: string) => void) {
    this.candidateView = new CandidateView(byId('candidate'), api, (id) => this.go(this.session?.id ?? null, id));
  }

  async start(): Promise<void> {
    window.addEventListener('hashchange', () => this.route());
    await this.readList();
    this.listTimer = window.setInterval(() => void this.readList(), LIST_EVERY_MS);
    this.route();
  }

  stop(): void {
    if (this.listTimer !== null) window.clearInterval(this.listTimer);
    this.session?.stop();
    this.view?.destroy();
  }

  private go(search: string | null, candidate: string | null): void {
    window.location.hash = fragmentOf({ search, candidate });
  }

  private async readList(): Promise<void> {
    try {
      this.searches = (await this.api.get<{ searches: SearchSummary[] }>('/v1/searches?limit=100')).searches;
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) return this.signOut('The token was refused (401).');
      byId('connection').textContent = `cannot list searches: ${(error as Error).message}`;
      return;
    }
    byId('connection').textContent = `connected to ${new URL(this.api.base).host}`;
    renderSearchList(byId('search-list'), this.searches, this.session?.id ?? null, (id) => this.go(id, null));
  }

  private route(): void {
    const { search, candidate } = parseFragment(window.location.hash);
    if (search !== (this.session?.id ?? null)) this.open(search);
    renderSearchList(byId('search-list'), this.searches, search, (id) => this.go(id, null));
    if (!this.session || !candidate) {
      this.shownCandidate = null;
      this.candidateView.hide();
    } else if (candidate !== this.shownCandidate?.id) {
      this.showCandidate(candidate);
    }
  }

  private open(id: string | null): void {
    this.session?.stop();
    this.view?.destroy();
    this.session = null;
    this.view = null;
    const root = byId('search');
    if (id === null) {
      root.replaceChildren(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'Choose a search.' }));
      return;
    }
    const session = new SearchSession(this.api, id, () => this.redraw(), () => this.signOut('The token was refused (401).'));
    this.session = session;
    this.view = new SearchView(root, session, (cid) => this.go(id, cid));
    this.view.update();
    void session.start();
  }

  private showCandidate(id: string): void {
    if (!this.session) return;
    this.shownCandidate = { id, status: this.session.candidate(id)?.status ?? 'unknown' };
    void this.candidateView.show(this.session, id);
  }

  /** The open search's entry in the list says what its own stream says, without waiting for the next read of the list. */
  private syncListEntry(): void {
    const detail = this.session?.detail;
    const entry = detail && this.searches.find((s) => s.id === detail.search.id);
    if (!detail || !entry) return;
    const told = Math.max(detail.progress.told, this.session!.told());
    if (entry.status === detail.search.status && entry.told === told) return;
    Object.assign(entry, { status: detail.search.status, told });
    renderSearchList(byId('search-list'), this.searches, detail.search.id, (id) => this.go(id, null));
  }

  /** Redraws once per animation frame however many changes came in it; reopens a shown candidate that was in flight and is now told. */
  private redraw(): void {
    if (this.frame !== null) return;
    this.frame = window.requestAnimationFrame(() => {
      this.frame = null;
      this.view?.update();
      this.syncListEntry();
      const shown = this.shownCandidate;
      const now = shown && this.session?.candidate(shown.id)?.status;
      if (shown && now && now !== shown.status && shown.status !== 'ok' && shown.status !== 'failed') this.showCandidate(shown.id);
    });
  }
}

function boot(): void {
  const fragment = parseFragment(window.location.hash);
  if (fragment.token) {
    storeToken(window.sessionStorage, fragment.token);
    // The token leaves the address bar (and the history): only sessionStorage keeps it.
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${fragmentOf(fragment)}`);
  }
  const login = byId<HTMLFormElement>('login');
  const app = byId('app');
  const forget = byId<HTMLButtonElement>('forget-token');
  let dashboard: Dashboard | null = null;
  const base = apiBaseOf(window.location.href);

  const signOut = (why: string) => {
    dashboard?.stop();
    dashboard = null;
    forgetToken(window.sessionStorage);
    app.hidden = true;
    forget.hidden = true;
    login.hidden = false;
    byId('login-error').textContent = why;
  };
  const signIn = (token: string) => {
    login.hidden = true;
    app.hidden = false;
    forget.hidden = false;
    dashboard = new Dashboard(new ApiClient(base, token), signOut);
    void dashboard.start();
  };
  login.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = byId<HTMLInputElement>('token-input').value.trim();
    if (!token) return;
    storeToken(window.sessionStorage, token);
    signIn(token);
  });
  forget.addEventListener('click', () => signOut(''));
  const token = storedToken(window.sessionStorage);
  if (token) signIn(token);
  else signOut('');
}

window.addEventListener('error', (event) => {
  // Browsers report a resize that takes more than one frame to settle as an "error"; nothing failed.
  if (/ResizeObserver loop/.test(event.message)) return;
  const fatal = byId('fatal');
  fatal.hidden = false;
  fatal.textContent = `error: ${event.message}`;
});
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
