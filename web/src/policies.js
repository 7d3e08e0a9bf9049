// The fair-policy checker's calls (docs/policies.md; the API of docs/api.md "Policies"): the
// policy register and its review, the quick check and the rule sets, and what the pages share
// (the statuses' tag colours, the offsets of findings in a text).
import { api, upload } from './api.js';
import { queryString } from './registry.js';
import { currentLang } from './i18n.js';

export const POLICY_STATUSES = ['unreviewed', 'compliant', 'to_amend', 'amended'];
/** Element Plus tag types of the review statuses. */
export const policyStatusType = { unreviewed: 'info', compliant: 'success', to_amend: 'danger', amended: 'warning' };
/** Element Plus tag types of the findings' severities. */
export const severityType = { high: 'danger', medium: 'warning', low: 'info' };
/** Chart colours of the review statuses (the by-region bars). */
export const policyStatusColour = { unreviewed: '#909399', compliant: '#529b2e', to_amend: '#c45656', amended: '#b88230' };

export const getPolicy = (id) => api('GET', `/api/policies/${id}`);
export const policiesByRegion = () => api('GET', '/api/policies/by-region');
export const createPolicy = (json) => api('POST', '/api/policies', json);
export const updatePolicy = (id, json) => api('PATCH', `/api/policies/${id}`, json);
export const addRevision = (id, json) => api('POST', `/api/policies/${id}/revisions`, json);
export const decideFinding = (id, findingId, json) => api('PUT', `/api/policies/${id}/findings/${findingId}`, json);
export const setPolicyStatus = (id, json) => api('PUT', `/api/policies/${id}/status`, json);
export const checkText = (text) => api('POST', '/api/policy-checks', { text });
export const getRules = () => api('GET', '/api/policy-rules');
export const ruleVersions = () => api('GET', '/api/policy-rules/versions');
export const saveRules = (doc) => api('PUT', '/api/policy-rules', doc);
/** A policy document through the file service (raw body, X-File-Name): the attachment, its id the file_id. */
export const uploadPolicyFile = (file) => upload('/api/policy-files', file);

/** The addresses of a policy's review report (PDF or XLSX), in the UI's language. */
export const policyReportHref = (id, format) => `/api/policies/${id}/${format}${queryString({ lang: currentLang() })}`;

/**
 * Cuts `text` into pieces at the findings' spans, which the server gives in Unicode code points
 * (end exclusive) while JavaScript strings count UTF-16 units: [{text, finding, n}] in order,
 * `finding` null between findings, `n` the finding's number (1-based, by start). Overlapping
 * spans: a later finding starts where the one before it ends (each finding keeps its number).
 */
export function textPieces(text, findings) {
  const chars = Array.from(text || '');
  const sorted = (findings || [])
    .map((f, i) => ({ f, i }))
    .sort((a, b) => a.f.start - b.f.start || a.f.end - b.f.end || a.i - b.i);
  const pieces = [];
  let at = 0;
  sorted.forEach(({ f }, k) => {
    const start = Math.max(at, Math.min(f.start, chars.length));
    const end = Math.min(Math.max(f.end, start), chars.length);
    if (start > at) pieces.push({ text: chars.slice(at, start).join(''), finding: null, n: 0 });
    if (end > start) pieces.push({ text: chars.slice(start, end).join(''), finding: f, n: k + 1 });
    at = Math.max(at, end);
  });
  if (at < chars.length) pieces.push({ text: chars.slice(at).join(''), finding: null, n: 0 });
  return pieces;
}

/** The findings in the order the text shows them (by start), each with its number n. */
export function numberedFindings(findings) {
  return (findings || [])
    .map((f, i) => ({ f, i }))
    .sort((a, b) => a.f.start - b.f.start || a.f.end - b.f.end || a.i - b.i)
    .map(({ f }, k) => ({ ...f, n: k + 1 }));
}

/** Reaches every province (domain/scope.h: a regulator of region "" or "000000", or an admin). */
export function isNational(user) {
  return !!user && (user.role === 'admin' || (user.role === 'regulator' && (!user.region || user.region === '000000')));
}
