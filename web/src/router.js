// Routes of the web UI. Each page is its own chunk (dynamic import), so the first visit
// downloads only the page asked for. Pages marked requiresAuth or roles send the public to
// /login; a signed-in user whose role is not in `roles` sees /forbidden.
import { createRouter, createWebHistory } from 'vue-router';
import { session, restoreSession } from './session.js';
import { loadVocabularies } from './vocabularies.js';

const routes = [
  { path: '/', name: 'home', component: () => import('./views/HomeView.vue'), meta: { titleKey: 'nav.home' } },
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { titleKey: 'login.title' } },
  {
    path: '/account/password',
    name: 'password',
    component: () => import('./views/account/PasswordView.vue'),
    meta: { titleKey: 'password.title', requiresAuth: true },
  },
  // The signed-in user's notifications and their settings.
  {
    path: '/notifications',
    name: 'notifications',
    component: () => import('./views/notifications/InboxView.vue'),
    meta: { titleKey: 'notifications.title', requiresAuth: true },
  },
  {
    path: '/account/notifications',
    name: 'notification-settings',
    component: () => import('./views/account/NotificationSettingsView.vue'),
    meta: { titleKey: 'notifications.settingsTitle', requiresAuth: true },
  },
  // Public: certificate verification, self-registration, certification bodies.
  { path: '/verify', name: 'verify', component: () => import('./views/VerifyView.vue'), meta: { titleKey: 'verify.title' } },
  { path: '/verify/bulk', name: 'verify-bulk', component: () => import('./views/BulkVerifyView.vue'), meta: { titleKey: 'bulkVerify.title' } },
  { path: '/register', name: 'register', component: () => import('./views/RegisterView.vue'), meta: { titleKey: 'register.title' } },
  { path: '/bodies', name: 'bodies', component: () => import('./views/bodies/BodyListView.vue'), meta: { titleKey: 'bodies.title' } },
  {
    path: '/bodies/new',
    name: 'body-new',
    component: () => import('./views/bodies/BodyNewView.vue'),
    meta: { titleKey: 'bodies.newTitle', roles: ['admin'] },
  },
  // The standard as data (docs/compliance.md): the clauses for anyone, the catalogues' import for admins.
  { path: '/clauses', name: 'clauses', component: () => import('./views/clauses/ClausesView.vue'), meta: { titleKey: 'clauses.title' } },
  {
    path: '/admin/clauses',
    name: 'clause-catalogues',
    component: () => import('./views/clauses/ClauseCataloguesAdminView.vue'),
    meta: { titleKey: 'clauses.admin.title', roles: ['admin'] },
  },
  // The learning platform's content (issue 11, docs/learning.md "Content")
  { path: '/learning', name: 'learning', component: () => import('./views/learning/CatalogueView.vue'), meta: { titleKey: 'learning.title' } },
  { path: '/courses/:id(\\d+)', name: 'course', component: () => import('./views/learning/CourseView.vue'), meta: { titleKey: 'learning.courseTitle' } },
  { path: '/announcements/:id(\\d+)', name: 'announcement', component: () => import('./views/learning/AnnouncementView.vue'), meta: { titleKey: 'learning.announcementTitle' } },
  { path: '/lessons/:id(\\d+)', name: 'lesson', component: () => import('./views/learning/LessonView.vue'), meta: { titleKey: 'learning.lessonTitle' } },
  {
    path: '/learning/authoring',
    name: 'learning-authoring',
    component: () => import('./views/learning/AuthoringView.vue'),
    meta: { titleKey: 'learning.authoring.title', roles: ['regulator', 'admin'] },
  },
  // issue 11, activities (docs/learning.md "Activities"): public list and detail, organisers' form
  { path: '/activities', name: 'activities', component: () => import('./views/learning/ActivityListView.vue'), meta: { titleKey: 'activities.title' } },
  {
    path: '/activities/new',
    name: 'activity-new',
    component: () => import('./views/learning/ActivityEditView.vue'),
    meta: { titleKey: 'activities.newTitle', roles: ['regulator', 'admin'] },
  },
  { path: '/activities/:id(\\d+)', name: 'activity', component: () => import('./views/learning/ActivityDetailView.vue'), meta: { titleKey: 'activities.title' } },
  {
    path: '/activities/:id(\\d+)/edit',
    name: 'activity-edit',
    component: () => import('./views/learning/ActivityEditView.vue'),
    meta: { titleKey: 'activities.editTitle', roles: ['regulator', 'admin'] },
  },
  // Search (issue 11, docs/learning.md "Search"): the one search box's results, public.
  { path: '/search', name: 'search', component: () => import('./views/SearchView.vue'), meta: { titleKey: 'search.title' } },
  { path: '/rankings', name: 'rankings', component: () => import('./views/rankings/RankingsView.vue'), meta: { titleKey: 'rankings.title' } },
  { path: '/bodies/:id(\\d+)', name: 'body', component: () => import('./views/bodies/BodyDetailView.vue'), meta: { titleKey: 'bodies.detailTitle' } },
  // The effectiveness index as read (docs/effectiveness.md "Pages and report").
  {
    path: '/effectiveness',
    name: 'effectiveness',
    component: () => import('./views/effectiveness/EffectivenessView.vue'),
    meta: { titleKey: 'effectiveness.title', roles: ['enterprise'] },
  },
  {
    path: '/effectiveness/supervision',
    name: 'effectiveness-supervision',
    component: () => import('./views/effectiveness/SupervisionView.vue'),
    meta: { titleKey: 'effectiveness.supervisionTitle', roles: ['regulator', 'admin'] },
  },
  {
    path: '/enterprises/:id(\\d+)/effectiveness',
    name: 'enterprise-effectiveness',
    component: () => import('./views/effectiveness/EffectivenessView.vue'),
    meta: { titleKey: 'effectiveness.title', roles: ['enterprise', 'body', 'regulator', 'admin'] },
  },
  // The nonconformity register (docs/compliance.md "Nonconformities").
  {
    path: '/nonconformities',
    name: 'nonconformities',
    component: () => import('./views/compliance/NonconformitiesView.vue'),
    meta: { titleKey: 'nonconformities.title', roles: ['enterprise', 'body', 'regulator', 'admin'] },
  },
  {
    path: '/nonconformities/by-clause',
    name: 'nonconformities-by-clause',
    component: () => import('./views/compliance/NonconformityByClauseView.vue'),
    meta: { titleKey: 'nonconformities.byClauseTitle', roles: ['regulator', 'admin'] },
  },
  {
    path: '/nonconformities/:id(\\d+)',
    name: 'nonconformity',
    component: () => import('./views/compliance/NonconformityDetailView.vue'),
    meta: { titleKey: 'nonconformities.title', roles: ['enterprise', 'body', 'regulator', 'admin'] },
  },
  // Quizzes, progress and certificates of completion (issue 11, docs/learning.md "Quizzes, certificates and progress").
  {
    path: '/learning/courses/:id(\\d+)/quiz',
    name: 'learning-quiz',
    component: () => import('./views/learning/QuizView.vue'),
    meta: { titleKey: 'learning.quiz.title', requiresAuth: true },
  },
  // issue 11, slice qbank: the question-bank editor of a course (docs/learning.md "Quizzes, certificates and progress")
  {
    path: '/learning/courses/:id(\\d+)/questions',
    name: 'learning-questions',
    component: () => import('./views/learning/QuestionBankView.vue'),
    meta: { titleKey: 'learning.questions.title', roles: ['regulator', 'admin'] },
  },
  // statistics slice "recommendations that say why" (docs/statistics.md "Recommendations")
  {
    path: '/recommendations',
    name: 'recommendations',
    component: () => import('./views/recommendations/RecommendationsView.vue'),
    meta: { titleKey: 'recommend.title', roles: ['enterprise', 'body'] },
  },
  {
    path: '/me/learning',
    name: 'my-learning',
    component: () => import('./views/learning/ProgressView.vue'),
    meta: { titleKey: 'learning.progress.title', requiresAuth: true },
  },
  {
    path: '/learning/staff',
    name: 'learning-staff',
    component: () => import('./views/learning/ProgressStaffView.vue'),
    meta: { titleKey: 'learning.staff.title', roles: ['enterprise'] },
  },
  {
    path: '/enterprises/:id(\\d+)/learning',
    name: 'enterprise-learning',
    component: () => import('./views/learning/ProgressStaffView.vue'),
    meta: { titleKey: 'learning.staff.title', roles: ['enterprise', 'regulator', 'admin'] },
  },
  {
    path: '/learning/certificates/:number',
    name: 'completion-certificate',
    component: () => import('./views/learning/CompletionVerifyView.vue'),
    meta: { titleKey: 'learning.certificate.title' },
  },
  // Reviews and complaints (docs/marketplace.md "Feedback and complaints").
  { path: '/reviews/policy', name: 'review-policy', component: () => import('./views/market/ReviewPolicyView.vue'), meta: { titleKey: 'feedback.policy.title' } },
  {
    path: '/my/reviews',
    name: 'my-reviews',
    component: () => import('./views/market/MyReviewsView.vue'),
    meta: { titleKey: 'feedback.myTitle', roles: ['enterprise'] },
  },
  {
    path: '/body/reviews',
    name: 'body-reviews',
    component: () => import('./views/market/BodyReviewsView.vue'),
    meta: { titleKey: 'feedback.bodyTitle', roles: ['body'] },
  },
  {
    path: '/moderation',
    name: 'moderation',
    component: () => import('./views/market/ModerationView.vue'),
    meta: { titleKey: 'feedback.moderationTitle', roles: ['regulator', 'admin'] },
  },
  {
    path: '/complaints',
    name: 'complaints',
    component: () => import('./views/market/ComplaintsView.vue'),
    meta: { titleKey: 'complaints.title', roles: ['enterprise', 'body', 'regulator', 'admin'] },
  },
  {
    path: '/complaints/:id(\\d+)',
    name: 'complaint',
    component: () => import('./views/market/ComplaintDetailView.vue'),
    meta: { titleKey: 'complaints.title', roles: ['enterprise', 'body', 'regulator', 'admin'] },
  },
  // Audits and management reviews (docs/compliance.md "Audits").
  {
    path: '/audits',
    name: 'audits',
    component: () => import('./views/audits/AuditsView.vue'),
    meta: { titleKey: 'audits.title', roles: ['enterprise', 'body', 'regulator', 'admin'] },
  },
  {
    path: '/audits/:id(\\d+)',
    name: 'audit-record',
    component: () => import('./views/audits/AuditDetailView.vue'),
    meta: { titleKey: 'audits.title', roles: ['enterprise', 'body', 'regulator', 'admin'] },
  },
  {
    path: '/management-reviews',
    name: 'management-reviews',
    component: () => import('./views/audits/ManagementReviewsView.vue'),
    meta: { titleKey: 'reviewsMgmt.title', roles: ['enterprise', 'regulator', 'admin'] },
  },
  // Service commitments (docs/marketplace.md): the public catalogue, comparison and pages; a body's own.
  { path: '/commitments', name: 'commitments', component: () => import('./views/commitments/CommitmentCatalogueView.vue'), meta: { titleKey: 'commitments.title' } },
  { path: '/commitments/compare', name: 'commitments-compare', component: () => import('./views/commitments/CommitmentCompareView.vue'), meta: { titleKey: 'commitments.compareTitle' } },
  {
    path: '/commitments/mine',
    name: 'commitments-mine',
    component: () => import('./views/commitments/MyCommitmentsView.vue'),
    meta: { titleKey: 'commitments.mine', roles: ['body'] },
  },
  { path: '/commitments/:id(\\d+)', name: 'commitment', component: () => import('./views/commitments/CommitmentDetailView.vue'), meta: { titleKey: 'commitments.detailTitle' } },
  // Enterprises: the regulators' and administrators' register.
  {
    path: '/enterprises',
    name: 'enterprises',
    component: () => import('./views/enterprises/EnterpriseListView.vue'),
    meta: { titleKey: 'enterprises.title', roles: ['admin', 'regulator'] },
  },
  {
    path: '/enterprises/new',
    name: 'enterprise-new',
    component: () => import('./views/enterprises/EnterpriseNewView.vue'),
    meta: { titleKey: 'enterprises.newTitle', roles: ['admin', 'regulator'] },
  },
  {
    path: '/enterprises/:id(\\d+)',
    name: 'enterprise',
    component: () => import('./views/enterprises/EnterpriseDetailView.vue'),
    meta: { titleKey: 'enterprises.detailTitle', roles: ['admin', 'regulator'] },
  },
  // The signed-in user's own enterprise or body.
  {
    path: '/organisation',
    name: 'organisation',
    component: () => import('./views/OrganisationView.vue'),
    meta: { titleKey: 'nav.organisation', roles: ['enterprise', 'body'] },
  },
  // Engagements (docs/marketplace.md): the enterprise's requests, the body's received ones,
  // a regulator's in its region (the server scopes the list).
  {
    path: '/engagements',
    name: 'engagements',
    component: () => import('./views/engagements/EngagementListView.vue'),
    meta: { titleKey: 'engagements.title', roles: ['admin', 'regulator', 'body', 'enterprise'] },
  },
  // Self-assessment (docs/compliance.md): the server scopes the list (a body: through grants).
  {
    path: '/self-assessments',
    name: 'self-assessments',
    component: () => import('./views/assessments/SelfAssessmentListView.vue'),
    meta: { titleKey: 'selfAssessment.title', roles: ['admin', 'regulator', 'body', 'enterprise'] },
  },
  {
    path: '/self-assessments/:id(\\d+)',
    name: 'self-assessment',
    component: () => import('./views/assessments/SelfAssessmentDetailView.vue'),
    meta: { titleKey: 'selfAssessment.title', roles: ['admin', 'regulator', 'body', 'enterprise'] },
  },
  {
    path: '/engagements/new',
    name: 'engagement-new',
    component: () => import('./views/engagements/EngagementNewView.vue'),
    meta: { titleKey: 'engagements.newTitle', roles: ['enterprise'] },
  },
  {
    path: '/engagements/:id(\\d+)',
    name: 'engagement',
    component: () => import('./views/engagements/EngagementDetailView.vue'),
    meta: { titleKey: 'engagements.title', roles: ['admin', 'regulator', 'body', 'enterprise'] },
  },
  // Certificates, as each role may see them (the server scopes the list).
  {
    path: '/certificates/upload',
    name: 'certificate-upload',
    component: () => import('./views/certificates/CertificateUploadView.vue'),
    meta: { titleKey: 'uploads.title', roles: ['body', 'admin'] },
  },
  // Indicator imports (docs/effectiveness.md "Imports"): an enterprise its own, a regulator its region's.
  {
    path: '/indicators/import',
    name: 'indicator-import',
    component: () => import('./views/indicators/IndicatorImportView.vue'),
    meta: { titleKey: 'indicatorImports.title', roles: ['enterprise', 'regulator', 'admin'] },
  },
  // A body's API tokens (docs/api.md).
  {
    path: '/organisation/tokens',
    name: 'api-tokens',
    component: () => import('./views/bodies/ApiTokensView.vue'),
    meta: { titleKey: 'apiTokens.title', roles: ['body'] },
  },
  {
    path: '/certificates/import',
    name: 'certificate-import',
    component: () => import('./views/certificates/CertificateImportView.vue'),
    meta: { titleKey: 'imports.title', roles: ['admin'] },
  },
  {
    path: '/certificates',
    name: 'certificates',
    component: () => import('./views/certificates/CertificateListView.vue'),
    meta: { titleKey: 'certificates.title', roles: ['admin', 'regulator', 'body', 'enterprise'] },
  },
  {
    path: '/certificates/new',
    name: 'certificate-new',
    component: () => import('./views/certificates/CertificateNewView.vue'),
    meta: { titleKey: 'certificates.newTitle', roles: ['admin', 'body'] },
  },
  {
    path: '/certificates/:number',
    name: 'certificate',
    component: () => import('./views/certificates/CertificateDetailView.vue'),
    meta: { titleKey: 'certificates.detailTitle', roles: ['admin', 'regulator', 'body', 'enterprise'] },
  },
  // Surveillance due and overdue (docs/registry.md "Lifecycle"; the server scopes it).
  {
    path: '/surveillance',
    name: 'surveillance',
    component: () => import('./views/certificates/SurveillanceListView.vue'),
    meta: { titleKey: 'surveillance.navTitle', roles: ['admin', 'regulator', 'body'] },
  },
  // The audit log: admins, and regulators for their region (the server scopes it).
  {
    path: '/audit',
    name: 'audit',
    component: () => import('./views/audit/AuditLogView.vue'),
    meta: { titleKey: 'audit.title', roles: ['admin', 'regulator'] },
  },
  // Platform administration.
  {
    path: '/admin/jobs',
    name: 'jobs',
    component: () => import('./views/admin/JobsView.vue'),
    meta: { titleKey: 'jobs.title', roles: ['admin'] },
  },
  // the exchange forum (issue 11, docs/learning.md "Exchange"): public reading, signed-in posting
  { path: '/forum', name: 'forum', component: () => import('./views/forum/ForumHomeView.vue'), meta: { titleKey: 'forum.title' } },
  { path: '/forum/categories/:id(\\d+)', name: 'forum-category', component: () => import('./views/forum/ForumHomeView.vue'), meta: { titleKey: 'forum.title' } },
  { path: '/forum/topics/:id(\\d+)', name: 'forum-topic', component: () => import('./views/forum/ForumTopicView.vue'), meta: { titleKey: 'forum.topicPageTitle' } },
  {
    path: '/forum/new',
    name: 'forum-new',
    component: () => import('./views/forum/ForumNewTopicView.vue'),
    meta: { titleKey: 'forum.newTopic', requiresAuth: true },
  },
  {
    path: '/forum/moderation',
    name: 'forum-moderation',
    component: () => import('./views/forum/ForumModerationView.vue'),
    meta: { titleKey: 'forum.moderationTitle', roles: ['admin', 'regulator'] },
  },
  // The fair-policy checker (issue 12, docs/policies.md "Pages"): regulators and admins.
  {
    path: '/policies',
    name: 'policies',
    component: () => import('./views/policies/PolicyListView.vue'),
    meta: { titleKey: 'policies.title', roles: ['regulator', 'admin'] },
  },
  {
    path: '/policies/new',
    name: 'policy-new',
    component: () => import('./views/policies/PolicyNewView.vue'),
    meta: { titleKey: 'policies.newTitle', roles: ['regulator', 'admin'] },
  },
  {
    path: '/policies/:id(\\d+)',
    name: 'policy',
    component: () => import('./views/policies/PolicyDetailView.vue'),
    meta: { titleKey: 'policies.detailTitle', roles: ['regulator', 'admin'] },
  },
  {
    path: '/policy-check',
    name: 'policy-check',
    component: () => import('./views/policies/PolicyCheckView.vue'),
    meta: { titleKey: 'policies.check.title', roles: ['regulator', 'admin'] },
  },
  {
    path: '/policy-rules',
    name: 'policy-rules',
    component: () => import('./views/policies/PolicyRulesView.vue'),
    meta: { titleKey: 'policies.rules.title', roles: ['regulator', 'admin'] },
  },
  // The statistics dashboards (capability 6, docs/statistics.md "Pages"): regulators and admins.
  {
    path: '/statistics',
    name: 'statistics',
    component: () => import('./views/statistics/StatisticsView.vue'),
    meta: { titleKey: 'statistics.title', roles: ['regulator', 'admin'] },
  },
  { path: '/forbidden', name: 'forbidden', component: () => import('./views/NoticeView.vue'), props: { kind: 'forbidden' }, meta: { titleKey: 'forbidden.title' } },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('./views/NoticeView.vue'),
    props: { kind: 'not-found' },
    meta: { titleKey: 'notFound.title' },
  },
  // Indicators (docs/effectiveness.md "Indicators"): an enterprise's own values, another's within
  // reach (a body engaged with it, its regulators, admins), and the admin's catalogue.
  {
    path: '/indicators',
    name: 'indicators',
    component: () => import('./views/indicators/IndicatorsView.vue'),
    meta: { titleKey: 'indicators.myTitle', roles: ['enterprise'] },
  },
  {
    path: '/enterprises/:id(\\d+)/indicators',
    name: 'enterprise-indicators',
    component: () => import('./views/indicators/IndicatorsView.vue'),
    meta: { titleKey: 'indicators.title', roles: ['body', 'regulator', 'admin'] },
  },
  {
    path: '/admin/indicators',
    name: 'indicator-catalogue',
    component: () => import('./views/indicators/IndicatorCatalogueView.vue'),
    meta: { titleKey: 'indicators.admin.title', roles: ['admin'] },
  },
];

/** A redirect target from the query, if it is a path on this site; '/' otherwise. */
export function safeRedirect(target) {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return '/';
  return target;
}

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  await Promise.all([restoreSession(), loadVocabularies()]);
  const needsUser = to.meta.requiresAuth || to.meta.roles;
  if (needsUser && !session.user) return { name: 'login', query: { redirect: to.fullPath } };
  if (to.meta.roles && !to.meta.roles.includes(session.user.role)) return { name: 'forbidden' };
  if (to.name === 'login' && session.user) return safeRedirect(to.query.redirect);
  return true;
});

// After a new release the old hashed chunks are gone: a page still open from before fails to
// load the next route's chunk. Load that route afresh from the server instead.
router.onError((error, to) => {
  if (/dynamically imported module|Importing a module script failed/i.test(String(error?.message))) {
    window.location.assign(to.fullPath);
  }
});
