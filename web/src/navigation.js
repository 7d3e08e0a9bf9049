// Navigation entries per role, in one place. Only pages that exist are listed; later
// features add their entries here.
const home = { to: '/', key: 'nav.home' };
const verify = { to: '/verify', key: 'nav.verify' };
const bodies = { to: '/bodies', key: 'nav.bodies' };
const rankings = { to: '/rankings', key: 'nav.rankings' };
const enterprises = { to: '/enterprises', key: 'nav.enterprises' };
const certificates = { to: '/certificates', key: 'nav.certificates' };
const organisation = { to: '/organisation', key: 'nav.organisation' };
const password = { to: '/account/password', key: 'nav.password' };
const audit = { to: '/audit', key: 'nav.audit' };
const notificationSettings = { to: '/account/notifications', key: 'nav.notificationSettings' };
const jobs = { to: '/admin/jobs', key: 'nav.jobs' };
const surveillance = { to: '/surveillance', key: 'nav.surveillance' };

const commitments = { to: '/commitments', key: 'nav.commitments' };
const myCommitments = { to: '/commitments/mine', key: 'nav.myCommitments' };
const myReviews = { to: '/my/reviews', key: 'nav.myReviews' };
const bodyReviews = { to: '/body/reviews', key: 'nav.bodyReviews' };
const moderation = { to: '/moderation', key: 'nav.moderation' };
const complaints = { to: '/complaints', key: 'nav.complaints' };
const uploadCertificates = { to: '/certificates/upload', key: 'nav.uploadCertificates' };
const apiTokens = { to: '/organisation/tokens', key: 'nav.apiTokens' };

const byRole = {
  public: [home, verify, bodies, commitments, rankings, { to: '/register', key: 'nav.register' }],
  enterprise: [home, organisation, certificates, myReviews, complaints, bodies, rankings, verify, notificationSettings, password],
  body: [home, organisation, certificates, myCommitments, surveillance, uploadCertificates, apiTokens, bodyReviews, complaints, bodies, rankings, verify, notificationSettings, password],
  regulator: [home, enterprises, certificates, surveillance, bodies, rankings, moderation, complaints, audit, verify, notificationSettings, password],
  admin: [home, enterprises, bodies, rankings, certificates, surveillance, moderation, complaints, audit, jobs, verify, notificationSettings, password],
};

/** The navigation entries ({to, key}) for a role; the public ones for an unknown role. */
export function navItems(role) {
  return byRole[role] || byRole.public;
}
