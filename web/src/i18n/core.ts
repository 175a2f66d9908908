import { createSignal } from 'solid-js';

/**
 * The i18n layer. Every word the web app shows goes through `t(key)`. Each area (common, driver
 * shop, partner desk, committee console) keeps its own messages and registers them when its code
 * loads, so the phone never downloads the console's words. English is the reference: a
 * language's dictionary must have every key English has (`defineMessages` makes the type-check
 * say so). `{name}` placeholders are filled from `t`'s second argument.
 */

export const languages = ['en', 'zh-CN'] as const;
export type Language = (typeof languages)[number];

/** What the language switcher offers; each name is written in its own language. */
export const languageNames: Record<Language, string> = { en: 'English', 'zh-CN': '简体中文' };

export interface Messages<K extends string> {
  en: Record<K, string>;
  'zh-CN': Record<K, string>;
}

export function defineMessages<const E extends Record<string, string>>(
  en: E,
  zhCN: Record<keyof E & string, string>,
): Messages<keyof E & string> {
  return { en, 'zh-CN': zhCN };
}

export type KeysOf<M> = M extends Messages<infer K> ? K : never;

const dictionaries: Record<Language, Map<string, string>> = { en: new Map(), 'zh-CN': new Map() };
// Bumped when an area registers its words, so text rendered before that re-renders.
const [registered, setRegistered] = createSignal(0);

export function registerMessages<K extends string>(messages: Messages<K>): void {
  for (const language of languages) {
    for (const [key, text] of Object.entries<string>(messages[language])) {
      dictionaries[language].set(key, text);
    }
  }
  setRegistered((n) => n + 1);
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

const storageKey = 'milepost.language';

/** The remembered choice, else the browser's preference, else English. */
function initialLanguage(): Language {
  try {
    const value = localStorage.getItem(storageKey);
    if (isLanguage(value)) return value;
  } catch {
    // localStorage can throw (storage disabled, private mode): fall through to the browser's.
  }
  const preferred = typeof navigator === 'undefined' ? [] : navigator.languages ?? [];
  return preferred.some((tag) => tag.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}

const [language, setLanguageSignal] = createSignal<Language>(initialLanguage());
document.documentElement.lang = language();

export { language };

export function setLanguage(next: Language): void {
  setLanguageSignal(next);
  document.documentElement.lang = next;
  try {
    localStorage.setItem(storageKey, next);
  } catch {
    // Not remembered across visits; the switch still applies now.
  }
}

/** The text for `key` in the chosen language, falling back to English, then to the key. */
export function translate(key: string, params?: Record<string, string | number>): string {
  registered();
  const text = dictionaries[language()].get(key) ?? dictionaries.en.get(key) ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
