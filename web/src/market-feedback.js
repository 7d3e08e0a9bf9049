// Reviews and complaints in the web app (docs/marketplace.md "Feedback and complaints"): the
// calls the pages make and the little they share (the four rating dimensions, dates).
import { api } from './api.js';
import { queryString as query } from './registry.js';

/** The four dimensions of a review, in the order the API and the pages list them. */
export const DIMENSIONS = ['professionalism', 'effectiveness', 'timeliness', 'commitment'];

/** The complaint statuses, in the order a complaint goes through them. */
export const COMPLAINT_STATUSES = ['received', 'under_review', 'upheld', 'dismissed'];

/** The next steps a regulator may take from a complaint's status. */
export function complaintNextSteps(status) {
  if (status === 'received') return ['under_review'];
  if (status === 'under_review') return ['upheld', 'dismissed'];
  return [];
}

export const bodyReviews = (bodyId, page = 1, perPage = 10) =>
  api('GET', `/api/bodies/${bodyId}/feedback${query({ page, per_page: perPage })}`);
export const listFeedback = (params) => api('GET', `/api/feedback${query(params)}`);
export const feedbackEngagements = () => api('GET', '/api/feedback/engagements');
export const createFeedback = (json) => api('POST', '/api/feedback', json);
export const updateFeedback = (id, json) => api('PATCH', `/api/feedback/${id}`, json);
export const feedbackVersions = (id) => api('GET', `/api/feedback/${id}/versions`);
export const replyFeedback = (id, text) => api('POST', `/api/feedback/${id}/reply`, { text });
export const hideFeedback = (id, reason) => api('POST', `/api/feedback/${id}/hide`, { reason });
export const unhideFeedback = (id) => api('POST', `/api/feedback/${id}/unhide`, {});
export const listComplaints = (params) => api('GET', `/api/complaints${query(params)}`);
export const getComplaint = (id) => api('GET', `/api/complaints/${id}`);
export const createComplaint = (json) => api('POST', '/api/complaints', json);
export const advanceComplaint = (id, status, note) => api('POST', `/api/complaints/${id}/status`, { status, note });

/** A date-time as the reader's locale shows a day. */
export function day(iso, locale) {
  return iso ? new Date(iso).toLocaleDateString(locale === 'en' ? 'en-GB' : 'zh-CN') : '';
}
