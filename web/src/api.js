// The one helper through which the UI talks to the server (same origin, JSON).
// It sends the chosen language (so error messages come back in it), the session cookie, and
// on unsafe methods the CSRF token; a failed call throws an ApiError carrying the server's
// {"error":{"code","message","field","fields"}} and, on 429, the Retry-After seconds.
import { currentLang, t } from './i18n.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
let csrfToken = null;

/** Remembers the CSRF token of the session (null after sign-out). */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

export class ApiError extends Error {
  constructor({ status, code, message, field = null, fields = [], retryAfter = null }) {
    super(message);
    this.name = 'ApiError';
    this.status = status; // HTTP status; 0 when the server could not be reached
    this.code = code; // the server's snake_case code, e.g. invalid_credentials
    this.field = field; // the request field the error is about, or null
    // every invalid field of a refused form, [{field, code, message}], the first being `field`
    this.fields = fields;
    this.retryAfter = retryAfter; // seconds, from Retry-After, or null
  }
}

/**
 * Calls the API: `api('POST', '/api/session', {login, password})`.
 * Resolves to the parsed JSON body (null for 204 or an empty body).
 */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json', 'Accept-Language': currentLang() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return send(method, path, headers, body === undefined ? undefined : JSON.stringify(body));
}

/**
 * Uploads a File (docs/files.md): its bytes as the body, its name in X-File-Name
 * (percent-encoded UTF-8). Resolves to the parsed JSON answer.
 */
export async function upload(path, file) {
  const headers = {
    Accept: 'application/json',
    'Accept-Language': currentLang(),
    'Content-Type': 'application/octet-stream',
    'X-File-Name': encodeURIComponent(file.name),
  };
  return send('POST', path, headers, file);
}

/** One request: the CSRF token on unsafe methods, the answer parsed, a failure thrown as ApiError. */
async function send(method, path, headers, body) {
  if (!safeMethods.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError({ status: 0, code: 'network_error', message: t('errors.network') });
  }

  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (res.ok) return data;

  const error = data && typeof data.error === 'object' && data.error ? data.error : {};
  const retry = Number.parseInt(res.headers.get('Retry-After') || '', 10);
  throw new ApiError({
    status: res.status,
    code: error.code || `http_${res.status}`,
    message: error.message || t('errors.unexpected', { status: res.status }),
    field: error.field || null,
    fields: Array.isArray(error.fields) ? error.fields : [],
    retryAfter: Number.isFinite(retry) && retry >= 0 ? retry : null,
  });
}
