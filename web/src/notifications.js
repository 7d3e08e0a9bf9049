// The signed-in user's notifications: the unread count the header shows (refreshed on every
// navigation and every minute), and the calls of the inbox and preferences pages.
import { ref } from 'vue';
import { api } from './api.js';
import { session } from './session.js';

export const unreadCount = ref(0);

/** Reloads the unread count (0 for the public); a failure keeps the last count. */
export async function refreshUnread() {
  if (!session.user) {
    unreadCount.value = 0;
    return;
  }
  try {
    unreadCount.value = (await api('GET', '/api/notifications/unread')).count;
  } catch (e) {
    console.warn('unread count failed:', e.message);
  }
}

let timer = null;
/** Refreshes the count every minute while the page is open (idempotent). */
export function startUnreadTimer() {
  timer ??= setInterval(refreshUnread, 60000);
}

/** One page of the inbox: {items, total, page, per_page}. */
export function loadInbox({ page = 1, perPage = 20, unreadOnly = false } = {}) {
  return api('GET', `/api/notifications?page=${page}&per_page=${perPage}${unreadOnly ? '&unread=1' : ''}`);
}

export async function markRead(id) {
  unreadCount.value = (await api('POST', `/api/notifications/${id}/read`)).count;
}

export async function markAllRead() {
  unreadCount.value = (await api('POST', '/api/notifications/read-all')).count;
}

export const loadPreferences = () => api('GET', '/api/notifications/preferences');
export const savePreferences = (body) => api('PUT', '/api/notifications/preferences', body);
