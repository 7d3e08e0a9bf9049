// The registry's code lists (certificate statuses and the changes each allows, scope areas and
// stages, standards, enterprise sizes and statuses) with their Chinese and English labels, as
// the server defines them once (GET /api/vocabularies). Loaded once per visit, before the first
// page is shown (router.js); a failed load is tried again at the next page, and until then
// codes are shown as they are.
import { reactive } from 'vue';
import { api } from './api.js';
import { currentLang } from './i18n.js';

const lists = ['certificate_statuses', 'scope_areas', 'scope_stages', 'standards', 'enterprise_sizes', 'enterprise_statuses'];

/** Each list: [{code, zh, en}] (certificate statuses also carry next and reason_required). */
export const vocabularies = reactive(Object.fromEntries(lists.map((k) => [k, []])));

let loading = null;

/** Loads the lists once; resolves (never rejects) when they are there or could not be had. */
export function loadVocabularies() {
  loading ??= api('GET', '/api/vocabularies').then(
    (body) => { for (const k of lists) vocabularies[k] = Array.isArray(body?.[k]) ? body[k] : []; },
    (e) => { loading = null; console.warn('vocabularies not loaded:', e.message); },
  );
  return loading;
}

/** The codes of a list, in the server's order. */
export const codes = (list) => vocabularies[list].map((term) => term.code);

/** The label of a code in the UI language; the code itself when the list does not have it. */
export function label(list, code) {
  const term = vocabularies[list].find((x) => x.code === code);
  if (!term) return code;
  return currentLang() === 'en' ? term.en : term.zh;
}

/** The statuses a certificate in `status` may change to. */
export function nextStatuses(status) {
  return vocabularies.certificate_statuses.find((s) => s.code === status)?.next || [];
}

/** Whether changing a certificate to `status` needs a reason (suspending, withdrawing). */
export function reasonRequired(status) {
  return Boolean(vocabularies.certificate_statuses.find((s) => s.code === status)?.reason_required);
}
