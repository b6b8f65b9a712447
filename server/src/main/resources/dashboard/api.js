// The REST API, with the user's token on every request. The token lives in this tab's sessionStorage only:
// never in a URL, never logged.

const TOKEN_KEY = 'shepherd.token';
const BASE = '/api/v1';

export const session = {
  token() { return sessionStorage.getItem(TOKEN_KEY); },
  save(token) { sessionStorage.setItem(TOKEN_KEY, token); },
  clear() { sessionStorage.removeItem(TOKEN_KEY); },
};

/** A refusal of the API: its status, its message, and the field at fault when it names one. */
export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field ?? null;
  }
}

let unauthorized = () => {};

/** What to do when the server answers 401 (the token is unknown, expired or revoked). */
export function onUnauthorized(handler) { unauthorized = handler; }

/** The headers every request carries. */
export function authHeaders(extra = {}) {
  return { Authorization: 'Bearer ' + (session.token() ?? ''), ...extra };
}

/** "/replicasets/a b" from ("replicasets", "a b"): each segment encoded. */
export function path(...segments) {
  return '/' + segments.map(s => encodeURIComponent(String(s))).join('/');
}

/** A JSON request; resolves to the body (null when empty), rejects with an ApiError. */
export async function call(method, url, body, { signal } = {}) {
  const headers = authHeaders({ Accept: 'application/json' });
  const init = { method, headers, signal, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(BASE + url, init);
  return read(response);
}

/** Opens a streamed text response (a followed log); the caller reads response.body. */
export async function stream(url, { signal } = {}) {
  const headers = authHeaders({ Accept: 'text/plain' });
  const response = await fetch(BASE + url, { headers, signal, cache: 'no-store' });
  if (!response.ok) {
    await read(response);
  }
  return response;
}

async function read(response) {
  const text = await response.text();
  if (response.ok) {
    return text ? JSON.parse(text) : null;
  }
  let message = response.statusText || ('HTTP ' + response.status);
  let field = null;
  try {
    const error = JSON.parse(text);
    message = error.message ?? message;
    field = error.field ?? null;
  } catch (e) {
    // not an API error body (a proxy's page, say): keep the status line
  }
  if (response.status === 401) {
    unauthorized(message);
  }
  throw new ApiError(response.status, message, field);
}
