// English texts of the recommendations (statistics and precise services; docs/statistics.md
// "Recommendations"). Spread into en.js. vue-i18n treats { } @ $ | as syntax in messages.
export default {
  recommend: {
    nav: 'Recommended for you',
    title: 'Recommended for you',
    intro: "Recommendations drawn from your organisation's own record: nonconformities, self-assessment, quizzes, the effectiveness evaluation, complaints and reviews. Each one says why.",
    card: 'Recommended for you',
    forEnterprise: 'Recommendations for this enterprise',
    why: 'Why:',
    none: 'Nothing to recommend at the moment.',
    failed: 'The recommendations cannot be read at the moment.',
    all: 'All {n} recommendations',
    kinds: { course: 'Course', activity: 'Activity', action: 'Action' },
  },
};
