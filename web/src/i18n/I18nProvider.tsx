import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { en, type MsgKey } from './en';
import { zh } from './zh';

export type Lang = 'en' | 'zh';
const dictionaries: Record<Lang, Record<MsgKey, string>> = { en, zh };
const STORAGE_KEY = 'hotline.lang';

export type Vars = Record<string, string | number>;

export interface I18n {
  lang: Lang;
  /** BCP 47 locale for dates and numbers. */
  locale: string;
  setLang: (lang: Lang) => void;
  t: (key: MsgKey, vars?: Vars) => string;
  /** A code the service defines (disposition, break reason…): our translation, else its label. */
  label: (group: string, code: string | null | undefined, fallback?: string | null) => string;
}

const I18nContext = createContext<I18n | null>(null);

/** The remembered choice, else the browser's language (zh* → Chinese). */
export function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    // storage unavailable: fall through
  }
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

function interpolate(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // not remembered, still switched
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const value = useMemo<I18n>(() => {
    const dict = dictionaries[lang];
    const lookup = (key: string): string | undefined =>
      (dict as Record<string, string>)[key] ?? (en as Record<string, string>)[key];
    return {
      lang,
      locale: lang === 'zh' ? 'zh-CN' : 'en-GB',
      setLang,
      t: (key, vars) => interpolate(lookup(key) ?? key, vars),
      label: (group, code, fallback) => {
        if (!code) return '—';
        return lookup(`${group}.${code}`) ?? fallback ?? code;
      },
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
