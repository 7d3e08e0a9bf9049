// Lists with filters, sorting and pages kept in the address (?q=…&status=…&page=2), so that
// a filtered list can be linked to, reloaded and left with the back button.
// useListQuery(path, defaults, load): `filters` is the form (a reactive copy of the query);
// apply() puts it into the address, which (re)loads the list through load(params) with
// page and per_page added. `state` holds {items, total, page, perPage, loading, error};
// exportHref(format) is the address of every row under the applied filters as a CSV or XLSX file.
import { reactive, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { api } from './api.js';
import { currentLang } from './i18n.js';
import { queryString } from './registry.js';

export const perPage = 20;

export function useListQuery(path, defaults) {
  const route = useRoute();
  const router = useRouter();
  const keys = Object.keys(defaults);
  const filters = reactive({ ...defaults });
  const pagePath = route.path; // loads only while this page is shown, not while leaving it
  const state = reactive({ items: [], total: 0, page: 1, perPage, loading: false, error: '' });
  let seq = 0;

  function fromQuery() {
    const q = route.query;
    for (const k of keys) {
      const v = Array.isArray(q[k]) ? q[k][0] : q[k];
      filters[k] = v ?? defaults[k];
    }
    const page = Number.parseInt(q.page, 10);
    return Number.isFinite(page) && page > 0 ? page : 1;
  }

  async function load() {
    const page = fromQuery();
    const mine = ++seq;
    state.loading = true;
    state.error = '';
    try {
      const body = await api('GET', `${path}${queryString({ ...filters, page, per_page: perPage })}`);
      if (mine !== seq) return;
      state.items = body?.items || [];
      state.total = body?.total ?? state.items.length;
      state.page = body?.page ?? page;
    } catch (e) {
      if (mine !== seq) return;
      state.items = [];
      state.total = 0;
      state.error = e.message;
    } finally {
      if (mine === seq) state.loading = false;
    }
  }

  function toQuery(page) {
    const q = {};
    for (const k of keys) if (filters[k] !== '' && filters[k] !== undefined && filters[k] !== null && filters[k] !== defaults[k]) q[k] = String(filters[k]);
    if (page > 1) q.page = String(page);
    return q;
  }

  /** Shows page 1 with the filters of the form. */
  function apply() {
    const query = toQuery(1);
    if (JSON.stringify(query) === JSON.stringify(route.query)) load();
    else router.push({ path: pagePath, query });
  }

  /** Clears the filters. */
  function reset() {
    Object.assign(filters, defaults);
    apply();
  }

  /** The address of the whole filtered list as a file (format csv or xlsx: docs/reports.md):
   *  the filters in the address (those applied), without the page. */
  function exportHref(format) {
    const applied = {};
    for (const k of keys) {
      const v = Array.isArray(route.query[k]) ? route.query[k][0] : route.query[k];
      applied[k] = v ?? defaults[k];
    }
    return `${path}${queryString({ ...applied, format, lang: currentLang() })}`;
  }

  function setPage(page) {
    router.push({ path: pagePath, query: toQuery(page) });
  }

  watch(() => route.query, () => { if (route.path === pagePath) load(); }, { immediate: true });
  return { filters, state, apply, reset, setPage, reload: load, exportHref };
}
