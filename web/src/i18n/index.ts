// Interface strings in Russian and English through i18next. The language is the user's saved one
// once logged in; before that (the login page), the browser's.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '@frontline/protocol';
import { en } from './en.js';
import { ru } from './ru.js';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof ru>;

/** Readers of these languages mostly read Russian better than English. */
const RUSSIAN_READERS = ['ru', 'uk', 'be', 'kk'];

function browserLocale(): Locale {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const language = tag.toLowerCase().split('-')[0] ?? '';
    if (language === 'en') return 'en';
    if (RUSSIAN_READERS.includes(language)) return 'ru';
  }
  return 'en';
}

export function setupI18n(): void {
  const lng = browserLocale();
  void i18next.use(initReactI18next).init({
    resources: { ru: { translation: ru }, en: { translation: en } },
    lng,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = lng;
}

export function switchLocale(locale: Locale): void {
  if (i18next.language !== locale) void i18next.changeLanguage(locale);
  document.documentElement.lang = locale;
}

export function currentLocale(): Locale {
  return i18next.language === 'ru' ? 'ru' : 'en';
}
