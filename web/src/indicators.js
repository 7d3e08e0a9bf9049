// The indicators' API and small helpers shared by the indicator pages (docs/effectiveness.md
// "Indicators"): the catalogue, an enterprise's values by year, a save of a year, a value's
// history, a body's verification, and the admin's catalogue changes. The bounds of a value are
// the server's (GET /api/indicators gives them; a save names each refused value as
// values.CODE): the pages show them, they do not decide them.
import { api } from './api.js';

export const CATEGORIES = ['quality', 'benefit', 'management'];

export const loadCatalogue = (all = false) => api('GET', `/api/indicators${all ? '?all=true' : ''}`);
export const createIndicator = (body) => api('POST', '/api/indicators', body);
export const updateIndicator = (id, body) => api('PATCH', `/api/indicators/${id}`, body);

export const loadValues = (enterpriseId) => api('GET', `/api/enterprises/${enterpriseId}/indicators`);
export const saveYear = (enterpriseId, year, values) => api('PUT', `/api/enterprises/${enterpriseId}/indicators/${year}`, { values });
export const verifyYear = (enterpriseId, year, body) => api('POST', `/api/enterprises/${enterpriseId}/indicators/${year}/verification`, body);

/** The changes of one value (indicator code, year), newest first. */
export async function loadHistory(enterpriseId, code, year) {
  const q = new URLSearchParams({ indicator: code, year: String(year), per_page: '100' });
  return (await api('GET', `/api/enterprises/${enterpriseId}/indicators/history?${q}`)).items;
}

/** The indicators grouped by category, in the catalogue's order: [{category, items}]. */
export function byCategory(indicators) {
  return CATEGORIES.map((category) => ({ category, items: indicators.filter((i) => i.category === category) }))
    .filter((g) => g.items.length > 0);
}

/** The bounds as the page shows them, e.g. "0–100", "≥ 0 · 整数" (t: the page's translator). */
export function boundsText(indicator, t) {
  const b = indicator.bounds;
  const range = b.max === null ? `≥ ${b.min}` : `${b.min}–${b.max}`;
  return b.whole ? `${range} · ${t('indicators.whole')}` : range;
}

/**
 * The value typed in a field as the API takes it: '' → null (cleared), a number → the number,
 * anything else → undefined (not a number: the page says so before sending).
 */
export function typedValue(text) {
  const s = String(text ?? '').trim();
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}
