// English texts of the web UI (same keys as zh-CN.js).
// vue-i18n treats { } @ $ | as syntax in messages: avoid them in plain text.
export default {
  app: {
    name: 'Guanbiao',
    fullName: 'Guanbiao certification public service platform',
  },
  nav: {
    home: 'Home',
    password: 'Change password',
    menu: 'Menu',
    signIn: 'Sign in',
    signOut: 'Sign out',
    otherLang: '中文',
    otherLangTitle: '切换到中文',
    mainNav: 'Main navigation',
  },
  roles: {
    public: 'Visitor',
    enterprise: 'Enterprise',
    body: 'Certification body',
    regulator: 'Regulator',
    admin: 'Administrator',
  },
  home: {
    welcome: 'Welcome, {name}',
    organisation: 'Organisation: {name}',
    offersHeading: 'What the platform offers you (opening step by step)',
    public: {
      title: 'Guanbiao certification public service platform',
      intro: 'The national platform for enterprise IP-management-system certification (GB/T 29490): learn, choose a certification service, keep compliance records, check the effect.',
      offers: [
        'Certificate verification: check that an IP-management-system certificate is genuine and see its status',
        'Certification bodies: browse their published service commitments and ratings',
        'Learning: course catalogue, policy interpretations and announcements',
      ],
      signInHint: 'Enterprises, certification bodies and regulators: sign in for more.',
    },
    enterprise: {
      title: 'Enterprise workspace',
      offers: [
        'Learn GB/T 29490 online with courses and quizzes, and earn a certificate of completion',
        'Self-assess clause by clause; keep internal audits, nonconformities and corrective actions',
        'Report yearly IP indicators and see the before/after effectiveness check',
        'Compare certification bodies\' service commitments, choose one, and rate the service afterwards',
        'Take part in learning activities and the exchange forum',
      ],
    },
    body: {
      title: 'Certification body workspace',
      offers: [
        'Publish service commitments: scope, effectiveness check, audit man-days, price range, lead and response times',
        'Run engagements; record external audits with the effectiveness check',
        'Issue, suspend and withdraw certificates; track surveillance audits',
        'Reply once, publicly, to each client\'s feedback',
      ],
    },
    regulator: {
      title: 'Regulator workspace',
      region: 'Jurisdiction: {region}',
      national: 'National',
      offers: [
        'Publish courses, policy interpretations and learning activities',
        'Moderate feedback and complaints',
        'Register local policies and check them with the fair-policy checker',
        'Read and export statistics of learning, certification, effectiveness and feedback',
      ],
    },
    admin: {
      title: 'Platform administration',
      offers: [
        'Manage user accounts',
        'Maintain catalogues: standard clauses, indicators',
        'Platform settings',
      ],
    },
  },
  login: {
    title: 'Sign in',
    login: 'Login',
    password: 'Password',
    submit: 'Sign in',
    loginRequired: 'Enter your login',
    passwordRequired: 'Enter your password',
    retryIn: 'Retry in {n} s',
  },
  password: {
    title: 'Change password',
    current: 'Current password',
    new: 'New password',
    repeat: 'Repeat the new password',
    submit: 'Save',
    done: 'Your password has been changed.',
    currentRequired: 'Enter your current password',
    newTooShort: 'The new password needs at least {n} characters',
    repeatMismatch: 'The two new passwords differ',
  },
  notFound: {
    title: 'Page not found',
    text: 'The page you asked for does not exist or has moved.',
    back: 'Back to the home page',
  },
  errors: {
    network: 'Cannot reach the server; please try again later.',
    unexpected: 'The server gave an unexpected answer ({status}).',
  },
};
