// The learning platform's content in the web app (issue 11, docs/learning.md "Content"): the
// API calls of the catalogue, courses, lessons, announcements and authoring pages. The server
// renders every Markdown text (the `html` fields, libcmark safe mode): pages show that HTML and
// never render Markdown themselves.
import { api } from './api.js';

export const categories = ['clauses', 'policy', 'briefing', 'auditor'];

/** The public catalogue: {items,total,…}; filters {category, clause, q}. */
export function listCourses(filters = {}, authoring = false) {
  const p = new URLSearchParams({ per_page: '100' });
  for (const [k, v] of Object.entries(filters)) if (v) p.set(k, v);
  return api('GET', `${authoring ? '/api/authoring/courses' : '/api/courses'}?${p}`);
}
export const getCourse = (id) => api('GET', `/api/courses/${id}`);
export const getLesson = (id) => api('GET', `/api/lessons/${id}`);
export const getLessonDraft = (id) => api('GET', `/api/lessons/${id}/draft`);
export const createCourse = (body) => api('POST', '/api/courses', body);
export const setCourseStatus = (id, status) => api('POST', `/api/courses/${id}/status`, { status });
export const createLesson = (courseId, body) => api('POST', `/api/courses/${courseId}/lessons`, body);
export const saveLesson = (id, body) => api('PUT', `/api/lessons/${id}`, body);
export const submitLesson = (id) => api('POST', `/api/lessons/${id}/submit`);
export const approveLesson = (id) => api('POST', `/api/lessons/${id}/approve`);
/** A learning event of the signed-in user: 'opened' or 'completed' (docs/learning.md "Progress"). */
export const recordLessonProgress = (id, event) => api('POST', `/api/lessons/${id}/progress`, { event });
export const previewMarkdown = (markdown) => api('POST', '/api/markdown/preview', { markdown });
export const listAnnouncements = (perPage = 5) => api('GET', `/api/announcements?per_page=${perPage}`);
// authoring pages, follow-up (issue 11 slice "authoring2"): course settings, lesson order,
// revision history and the announcement editor
export const updateCourse = (id, body) => api('PUT', `/api/courses/${id}`, body);
/** lessonIds: every lesson of the course once, in the new order. */
export const reorderLessons = (id, lessonIds) => api('PUT', `/api/courses/${id}/order`, { lesson_ids: lessonIds });
export const listLessonRevisions = (id) => api('GET', `/api/lessons/${id}/revisions`);
export const getLessonRevision = (id, revision) => api('GET', `/api/lessons/${id}/revisions/${revision}`);
/** Authors: every announcement of a status ('all' by default), newest first. */
export const listAllAnnouncements = (status = 'all') => api('GET', `/api/announcements?status=${status}&per_page=100`);
export const createAnnouncement = (body) => api('POST', '/api/announcements', body);
export const updateAnnouncement = (id, body) => api('PUT', `/api/announcements/${id}`, body);
export const setAnnouncementStatus = (id, status) => api('POST', `/api/announcements/${id}/status`, { status });
