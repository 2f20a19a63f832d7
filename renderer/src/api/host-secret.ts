// The browser host prints a URL of the form http://127.0.0.1:PORT/#secret=... . The fragment
// never reaches the server's logs or a Referer; we read it once and take it out of the address bar
// so it does not linger in history or in a screenshot.

export function takeSecretFromLocation(): string | null {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const secret = params.get('secret');
  if (secret === null || secret === '') return null;
  history.replaceState(history.state, '', location.pathname + location.search);
  return secret;
}

/** ws: for http:, wss: for https:, same host and port, path /api. */
export function apiSocketUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api`;
}
