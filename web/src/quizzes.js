// The question bank of a course in the web app (issue 11, docs/learning.md "Quizzes,
// certificates and progress"): the API calls of the question-bank editor (regulators and
// admins). A question: {id, course_id, kind single|multiple|truefalse, text, options, correct
// (option indexes), explanation, clauses}. True/false questions' options are fixed by the
// server (正确/错误): the page sends none.
import { api } from './api.js';

export const questionKinds = ['single', 'multiple', 'truefalse'];
export const trueFalseOptions = ['正确', '错误'];

export const listQuestions = (courseId) => api('GET', `/api/courses/${courseId}/questions`);
export const createQuestion = (courseId, body) => api('POST', `/api/courses/${courseId}/questions`, body);
export const updateQuestion = (id, body) => api('PUT', `/api/questions/${id}`, body);
export const deleteQuestion = (id) => api('DELETE', `/api/questions/${id}`);
