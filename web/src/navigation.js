// Navigation, in one place. Two levels: the site's own pages that every visitor uses (the top
// bar: home, the marketplace, verification), and the signed-in role's work, in sections (a bar
// under it on wide screens; headings in the phone menu). Every link stays visible on a wide
// screen: no entry hides in a drop-down. Only pages that exist are listed.
const home = { to: '/', key: 'nav.home' };
const verify = { to: '/verify', key: 'nav.verify' };
const bodies = { to: '/bodies', key: 'nav.bodies' };
const commitments = { to: '/commitments', key: 'nav.commitments' };
const rankings = { to: '/rankings', key: 'nav.rankings' };
const register = { to: '/register', key: 'nav.register' };
const learning = { to: '/learning', key: 'nav.learning' };
const authoring = { to: '/learning/authoring', key: 'nav.authoring' };
const forum = { to: '/forum', key: 'nav.forum' };   // the exchange forum (issue 11)
const forumModeration = { to: '/forum/moderation', key: 'nav.forumModeration' };
// issue 11, activities
const activities = { to: '/activities', key: 'activities.nav' };

const enterprises = { to: '/enterprises', key: 'nav.enterprises' };
const certificates = { to: '/certificates', key: 'nav.certificates' };
const organisation = { to: '/organisation', key: 'nav.organisation' };
const engagements = { to: '/engagements', key: 'nav.engagements' };
const selfAssessments = { to: '/self-assessments', key: 'nav.selfAssessments' };
const surveillance = { to: '/surveillance', key: 'nav.surveillance' };
const myCommitments = { to: '/commitments/mine', key: 'nav.myCommitments' };
const uploadCertificates = { to: '/certificates/upload', key: 'nav.uploadCertificates' };
const myReviews = { to: '/my/reviews', key: 'nav.myReviews' };
const importIndicators = { to: '/indicators/import', key: 'nav.importIndicators' };
const bodyReviews = { to: '/body/reviews', key: 'nav.bodyReviews' };
const moderation = { to: '/moderation', key: 'nav.moderation' };
const complaints = { to: '/complaints', key: 'nav.complaints' };
const audits = { to: '/audits', key: 'nav.audits' };
const managementReviews = { to: '/management-reviews', key: 'nav.managementReviews' };
const nonconformities = { to: '/nonconformities', key: 'nav.nonconformities' };
const nonconformitiesByClause = { to: '/nonconformities/by-clause', key: 'nav.nonconformitiesByClause' };
const audit = { to: '/audit', key: 'nav.audit' };
const jobs = { to: '/admin/jobs', key: 'nav.jobs' };
const apiTokens = { to: '/organisation/tokens', key: 'nav.apiTokens' };
const notificationSettings = { to: '/account/notifications', key: 'nav.notificationSettings' };
const password = { to: '/account/password', key: 'nav.password' };
const clauses = { to: '/clauses', key: 'nav.clauses' };
const clauseCatalogues = { to: '/admin/clauses', key: 'nav.clauseCatalogues' };
const myIndicators = { to: '/indicators', key: 'nav.myIndicators' };
const indicatorCatalogue = { to: '/admin/indicators', key: 'nav.indicatorCatalogue' };
const effectiveness = { to: '/effectiveness', key: 'nav.effectiveness' };
// learning (issue 11, slice quiz): my learning for everyone signed in; an enterprise's staff progress
const myLearning = { to: '/me/learning', key: 'nav.myLearning' };
const staffLearning = { to: '/learning/staff', key: 'nav.staffLearning' };
const effectivenessSupervision = { to: '/effectiveness/supervision', key: 'nav.effectivenessSupervision' };
// the fair-policy checker (issue 12): the register, the quick check, the rules
const policies = { to: '/policies', key: 'policies.nav.list' };
const policyCheck = { to: '/policy-check', key: 'policies.nav.check' };
const policyRules = { to: '/policy-rules', key: 'policies.nav.rules' };
// the statistics dashboards (capability 6): regulators' and admins' supervision
const statistics = { to: '/statistics', key: 'statistics.nav' };
const policyReview = { key: 'policies.nav.section', items: [policies, policyCheck, policyRules] };
// statistics slice "recommendations that say why": an enterprise's and a body's own
const recommendations = { to: '/recommendations', key: 'recommend.nav' };

const site = [home, learning, forum, activities, commitments, rankings, bodies, verify];
const account = { key: 'nav.sections.account', items: [myLearning, notificationSettings, password] };

// Each role's work: sections of {key (the heading), items}.
const work = {
  public: [],
  enterprise: [
    { key: 'nav.sections.certification', items: [organisation, engagements, certificates, myReviews, complaints] },
    { key: 'nav.sections.compliance', items: [selfAssessments, audits, managementReviews, nonconformities, clauses] },
    { key: 'nav.sections.effectiveness', items: [myIndicators, effectiveness, importIndicators] },
    { key: 'nav.sections.learning', items: [recommendations, staffLearning] },
    account,
  ],
  body: [
    { key: 'nav.sections.business', items: [organisation, engagements, myCommitments, certificates, uploadCertificates, surveillance] },
    { key: 'nav.sections.compliance', items: [audits, nonconformities, selfAssessments] },
    { key: 'nav.sections.feedback', items: [bodyReviews, complaints, recommendations] },
    { key: 'nav.sections.account', items: [myLearning, apiTokens, notificationSettings, password] },
  ],
  regulator: [
    { key: 'nav.sections.supervision', items: [enterprises, certificates, surveillance, engagements, nonconformitiesByClause, effectivenessSupervision, importIndicators, statistics] },
    { key: 'nav.sections.feedback', items: [moderation, complaints, forumModeration] },
    policyReview,
    { key: 'nav.sections.records', items: [audit] },
    { key: 'nav.sections.learning', items: [authoring] },
    account,
  ],
  admin: [
    { key: 'nav.sections.supervision', items: [enterprises, certificates, surveillance, engagements, nonconformitiesByClause, effectivenessSupervision, statistics] },
    { key: 'nav.sections.feedback', items: [moderation, complaints, forumModeration] },
    policyReview,
    { key: 'nav.sections.records', items: [audit, jobs, clauses, clauseCatalogues, indicatorCatalogue, importIndicators] },
    { key: 'nav.sections.learning', items: [authoring] },
    account,
  ],
};

/** The site's links ({to, key}) for the top bar; registration for visitors only. */
export function siteItems(role) {
  return work[role] && role !== 'public' ? site : [...site, register];
}

/** The role's work as sections [{key, items: [{to, key}]}]; none for a visitor. */
export function workSections(role) {
  return work[role] || work.public;
}

/** Every link of a role, the site's first (tests and the phone menu's order). */
export function navItems(role) {
  return [...siteItems(role), ...workSections(role).flatMap((s) => s.items)];
}
