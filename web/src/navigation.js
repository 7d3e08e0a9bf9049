// Navigation entries per role, in one place. Only pages that exist are listed; later
// features add their entries here.
const home = { to: '/', key: 'nav.home' };
const verify = { to: '/verify', key: 'nav.verify' };
const bodies = { to: '/bodies', key: 'nav.bodies' };
const enterprises = { to: '/enterprises', key: 'nav.enterprises' };
const certificates = { to: '/certificates', key: 'nav.certificates' };
const organisation = { to: '/organisation', key: 'nav.organisation' };
const password = { to: '/account/password', key: 'nav.password' };
const audit = { to: '/audit', key: 'nav.audit' };
const notificationSettings = { to: '/account/notifications', key: 'nav.notificationSettings' };
const jobs = { to: '/admin/jobs', key: 'nav.jobs' };
const engagements = { to: '/engagements', key: 'nav.engagements' };

const byRole = {
  public: [home, verify, bodies, { to: '/register', key: 'nav.register' }],
  enterprise: [home, organisation, engagements, certificates, bodies, verify, notificationSettings, password],
  body: [home, organisation, engagements, certificates, bodies, verify, notificationSettings, password],
  regulator: [home, enterprises, engagements, certificates, bodies, audit, verify, notificationSettings, password],
  admin: [home, enterprises, bodies, certificates, audit, jobs, verify, notificationSettings, password],
};

/** The navigation entries ({to, key}) for a role; the public ones for an unknown role. */
export function navItems(role) {
  return byRole[role] || byRole.public;
}
