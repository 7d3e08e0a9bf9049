// The effectiveness index in the web app (issue 10; docs/effectiveness.md "Pages and report"): the
// calls the pages make and the small rules they share (verdict colours, numbers, what drove the
// result). The numbers come from the stored result as the server answers it; nothing here
// recomputes the method.
import { api } from './api.js';
import { queryString } from './registry.js';

export const VERDICTS = ['significant_improvement', 'improvement', 'no_change', 'decline'];
export const GROUPINGS = ['region', 'industry', 'body'];

export const getEffectiveness = (enterpriseId) => api('GET', `/api/enterprises/${enterpriseId}/effectiveness`);
export const effectivenessPdfHref = (enterpriseId) => `/api/enterprises/${enterpriseId}/effectiveness/pdf`;
export const formOnly = (params) => api('GET', `/api/effectiveness/form-only${queryString(params)}`);
export const distribution = (params) => api('GET', `/api/effectiveness/distribution${queryString(params)}`);

/** Element Plus tag type of a verdict. */
export function verdictType(verdict) {
  return { significant_improvement: 'success', improvement: 'success', no_change: 'info', decline: 'danger' }[verdict] || 'info';
}

/** A number with `decimals` decimals, or "—" for null. */
export function num(v, decimals = 2) {
  return v === null || v === undefined || Number.isNaN(v) ? '—' : Number(v).toFixed(decimals);
}

/** The indicators with the largest positive and the largest negative scaled value (null when none). */
export function drivers(indicators) {
  let up = null;
  let down = null;
  for (const x of indicators || []) {
    if (typeof x.scaled !== 'number') continue;
    if (x.scaled > 0 && (!up || x.scaled > up.scaled)) up = x;
    if (x.scaled < 0 && (!down || x.scaled < down.scaled)) down = x;
  }
  return { up, down };
}
