// Navigation entries per role, in one place. Only pages that exist are listed; later
// features add their entries here.
const common = [{ to: '/', key: 'nav.home' }];
const signedIn = [{ to: '/account/password', key: 'nav.password' }];

const byRole = {
  public: [...common],
  enterprise: [...common, ...signedIn],
  body: [...common, ...signedIn],
  regulator: [...common, ...signedIn],
  admin: [...common, ...signedIn],
};

/** The navigation entries ({to, key}) for a role; the public ones for an unknown role. */
export function navItems(role) {
  return byRole[role] || byRole.public;
}
