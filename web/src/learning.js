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
