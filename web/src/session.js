// Who is signed in: the user from /api/session (or null for the public), kept reactive so the
// header, navigation and home page follow sign-in and sign-out. Sessions live in an HttpOnly
// cookie; the CSRF token returned with the user is handed to the API helper.
import { reactive, computed } from 'vue';
import { api, setCsrfToken, ApiError } from './api.js';

export const session = reactive({ user: null });

/** 'public', 'enterprise', 'body', 'regulator' or 'admin'. */
export const role = computed(() => session.user?.role || 'public');

function accept(body) {
  session.user = body?.user || null;
  setCsrfToken(body?.csrf);
}

function forget() {
  session.user = null;
  setCsrfToken(null);
}

let restoring = null;

/** Restores an existing session once at start-up (GET /api/session; 401 means public). */
export function restoreSession() {
  restoring ??= api('GET', '/api/session').then(accept, (e) => {
    forget();
    if (!(e instanceof ApiError) || (e.status !== 401 && e.status !== 0)) console.warn('session check failed:', e.message);
  });
  return restoring;
}

export async function signIn(login, password) {
  accept(await api('POST', '/api/session', { login, password }));
}

/** Signs out on the server; the UI forgets the user even if the server cannot be reached. */
export async function signOut() {
  try {
    await api('DELETE', '/api/session');
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
  } finally {
    forget();
  }
}

export async function changePassword(currentPassword, newPassword) {
  await api('PUT', '/api/session/password', { current_password: currentPassword, new_password: newPassword });
}
