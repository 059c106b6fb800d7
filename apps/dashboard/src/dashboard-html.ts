/**
 * The page's HTML: a frame the bundle (client/main.ts) fills in. Asset and API URLs are relative
 * (the page is served at `<prefix>/dashboard/`), so it works behind a reverse proxy's path prefix.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nasfleet dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="./app.css">
<script type="module" src="./app.js"></script>
</head>
<body>
<header class="top">
  <strong>nasfleet</strong> <span class="muted">dashboard</span>
  <span id="connection" class="pill muted">not connected</span>
  <button id="forget-token" type="button" class="link" hidden>forget token</button>
</header>
<form id="login" class="login" hidden>
  <label for="token-input">The API's bearer token (API_TOKEN of the orchestrator): kept in this tab only (sessionStorage).</label>
  <input id="token-input" type="password" autocomplete="off" required>
  <button type="submit">Open</button>
  <p id="login-error" class="error" role="alert"></p>
</form>
<div id="app" class="layout" hidden>
  <aside class="searches">
    <h2>Searches</h2>
    <ul id="search-list"></ul>
  </aside>
  <main id="search" class="search">
    <p id="search-empty" class="muted">Choose a search.</p>
  </main>
  <section id="candidate" class="candidate" hidden></section>
</div>
<p id="fatal" class="error" role="alert" hidden></p>
</body>
</html>
`;
