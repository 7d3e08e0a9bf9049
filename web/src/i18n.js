// Language of the UI: Chinese by default, English on request; the choice is kept in
// localStorage ('guanbiao.lang') and sent to the server with every API call.
import { createI18n } from 'vue-i18n';
import zhCN from './locales/zh-CN.js';
import en from './locales/en.js';

export const languages = ['zh-CN', 'en'];
const storageKey = 'guanbiao.lang';

function storedLang() {
  try {
    const v = localStorage.getItem(storageKey);
    return languages.includes(v) ? v : 'zh-CN';
  } catch {
    return 'zh-CN'; // storage disabled
  }
}

export const i18n = createI18n({
  legacy: false,
  locale: storedLang(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});
document.documentElement.lang = i18n.global.locale.value;

/** 'zh-CN' or 'en': the language in use, also the Accept-Language of API calls. */
export function currentLang() {
  return i18n.global.locale.value;
}

/** Switches the UI language and remembers the choice. */
export function setLang(lang) {
  if (!languages.includes(lang)) return;
  i18n.global.locale.value = lang;
  document.documentElement.lang = lang;
  try { localStorage.setItem(storageKey, lang); } catch { /* storage disabled: choice lasts this visit */ }
}

/** Translates outside components (the API helper's own messages). */
export const t = (...args) => i18n.global.t(...args);
