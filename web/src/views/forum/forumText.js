// Small helpers the forum's pages share (web/src/views/forum): a post's time as people read it.
export function forumWhen(iso, locale) {
  return new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { hour12: false, dateStyle: 'medium', timeStyle: 'short' });
}
