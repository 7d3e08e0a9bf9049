// Audits and management reviews in the web app (docs/compliance.md "Audits"): the calls the
// pages make and the vocabularies they share.
import { api } from './api.js';
import { queryString as query } from './registry.js';

export const EXTERNAL_KINDS = ['stage1', 'stage2', 'surveillance', 'recertification'];
export const FINDINGS = ['conforming', 'minor', 'major', 'not_applicable', 'observation'];
export const AUDIT_STATUSES = ['planned', 'in_progress', 'signed_off'];

export const listAudits = (params) => api('GET', `/api/audits${query(params)}`);
export const getAudit = (id) => api('GET', `/api/audits/${id}`);
export const createAudit = (json) => api('POST', '/api/audits', json);
export const updateAudit = (id, json) => api('PATCH', `/api/audits/${id}`, json);
export const recordFinding = (id, clause, json) => api('PUT', `/api/audits/${id}/findings/${encodeURIComponent(clause)}`, json);
export const signOffAudit = (id) => api('POST', `/api/audits/${id}/sign-off`);
export const reviseAudit = (id) => api('POST', `/api/audits/${id}/revisions`);
export const openEngagements = async () => {
  const [active, decided] = await Promise.all([
    api('GET', '/api/engagements?status=active&per_page=100'), api('GET', '/api/engagements?status=decided&per_page=100')]);
  return [...active.items, ...decided.items];
};
export const createReview = (json) => api('POST', '/api/management-reviews', json);
export const updateReview = (id, json) => api('PATCH', `/api/management-reviews/${id}`, json);

/** Clause numbers typed by a person ("7.3, 8.1 9.2") as a list. */
export function clauseList(text) {
  return text.split(/[\s,，、;；]+/).map((s) => s.trim()).filter(Boolean);
}
