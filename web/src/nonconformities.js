// The nonconformity register in the web app (docs/compliance.md "Nonconformities"): the calls the
// pages make, the statuses in their order, and which next steps a role may take.
import { api } from './api.js';
import { queryString } from './registry.js';

/** The statuses, in the order a nonconformity goes through them. */
export const NC_STATUSES = ['open', 'action_planned', 'implemented', 'effective', 'not_effective', 'reopened'];

/** The main path shown as steps (not_effective and reopened loop back to action_planned). */
export const NC_STEPS = ['open', 'action_planned', 'implemented', 'effective'];

/** The next steps the role may take from a status (the server checks again). */
export function ncNextSteps(status, role) {
  const own = role === 'enterprise' || role === 'admin';
  if ((status === 'open' || status === 'reopened') && own) return ['action_planned'];
  if (status === 'action_planned' && own) return ['implemented'];
  if (status === 'implemented' && (own || role === 'body')) return ['effective', 'not_effective'];
  if (status === 'not_effective' && own) return ['reopened'];
  return [];
}

export const listNonconformities = (params) => api('GET', `/api/nonconformities${queryString(params)}`);
export const getNonconformity = (id) => api('GET', `/api/nonconformities/${id}`);
export const createNonconformity = (json) => api('POST', '/api/nonconformities', json);
export const updateNonconformity = (id, json) => api('PATCH', `/api/nonconformities/${id}`, json);
export const stepNonconformity = (id, json) => api('POST', `/api/nonconformities/${id}/status`, json);
export const nonconformitiesByClause = (params) => api('GET', `/api/nonconformities/by-clause${queryString(params)}`);
