// Routes of the web UI. Each page is its own chunk (dynamic import), so the first visit
// downloads only the page asked for. Pages marked requiresAuth send the public to /login.
import { createRouter, createWebHistory } from 'vue-router';
import { session, restoreSession } from './session.js';

const routes = [
  { path: '/', name: 'home', component: () => import('./views/HomeView.vue'), meta: { titleKey: 'nav.home' } },
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { titleKey: 'login.title' } },
  {
    path: '/account/password',
    name: 'password',
    component: () => import('./views/account/PasswordView.vue'),
    meta: { titleKey: 'password.title', requiresAuth: true },
  },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { titleKey: 'notFound.title' } },
];

/** A redirect target from the query, if it is a path on this site; '/' otherwise. */
export function safeRedirect(target) {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return '/';
  return target;
}

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  await restoreSession();
  if (to.meta.requiresAuth && !session.user) return { name: 'login', query: { redirect: to.fullPath } };
  if (to.name === 'login' && session.user) return safeRedirect(to.query.redirect);
  return true;
});

// After a new release the old hashed chunks are gone: a page still open from before fails to
// load the next route's chunk. Load that route afresh from the server instead.
router.onError((error, to) => {
  if (/dynamically imported module|Importing a module script failed/i.test(String(error?.message))) {
    window.location.assign(to.fullPath);
  }
});
