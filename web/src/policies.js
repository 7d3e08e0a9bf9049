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
/** The current rule set, or an older version's (read only). */
export const getRules = (version) => api('GET', version ? `/api/policy-rules?version=${version}` : '/api/policy-rules');
export const ruleVersions = () => api('GET', '/api/policy-rules/versions');
export const saveRules = (doc) => api('PUT', '/api/policy-rules', doc);
/** A policy document through the file service (raw body, X-File-Name): the attachment, its id the file_id. */
export const uploadPolicyFile = (file) => upload('/api/policy-files', file);

/** The addresses of a policy's review report (PDF or XLSX), in the UI's language. */
export const policyReportHref = (id, format) => `/api/policies/${id}/${format}${queryString({ lang: currentLang() })}`;

/**
 * Cuts `text` into pieces at the findings' spans, which the server gives in Unicode code points
 * (end exclusive) while JavaScript strings count UTF-16 units, so the text is cut as
 * Array.from(text). Returns [{text, findings, starts, ends}] in order: `findings` the findings
 * covering the piece (numbered n by start, as numberedFindings), `starts` / `ends` those that
 * begin / end with it. Overlapping spans (two rules in one sentence) are cut where either
 * begins or ends, so that every finding keeps its own start and end.
 */
export function textPieces(text, findings) {
  const chars = Array.from(text || '');
  const clamp = (x) => Math.min(Math.max(Number(x) || 0, 0), chars.length);
  const spans = numberedFindings(findings)
    .map((f) => ({ f, start: clamp(f.start), end: clamp(f.end) }))
    .filter((x) => x.end > x.start);
  const points = [...new Set([0, chars.length, ...spans.flatMap((x) => [x.start, x.end])])].sort((a, b) => a - b);
  const pieces = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [a, b] = [points[i], points[i + 1]];
    const covering = spans.filter((x) => x.start <= a && x.end >= b);
    pieces.push({
      text: chars.slice(a, b).join(''),
      findings: covering.map((x) => x.f),
      starts: covering.filter((x) => x.start === a).map((x) => x.f),
      ends: covering.filter((x) => x.end === b).map((x) => x.f),
    });
  }
  return pieces;
}

const severityRank = { high: 3, medium: 2, low: 1 };
/** The most severe of the findings' severities (a piece covered by several is coloured by it). */
export function topSeverity(findings) {
  return findings.reduce((top, f) => ((severityRank[f.severity] || 0) > (severityRank[top] || 0) ? f.severity : top), 'low');
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
