import { useI18n, type Lang } from './I18nProvider';

const LANGS: Array<{ lang: Lang; text: string }> = [
  { lang: 'en', text: 'EN' },
  { lang: 'zh', text: '中文' },
];

/** EN | 中文 toggle; the choice is remembered in localStorage. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div
      className="lang-switch"
      role="group"
      aria-label={t('lang.label')}
      data-testid="lang-switch"
    >
      {LANGS.map((l) => (
        <button
          key={l.lang}
          type="button"
          className={l.lang === lang ? 'active' : ''}
          aria-pressed={l.lang === lang}
          data-testid={`lang-${l.lang}`}
          onClick={() => setLang(l.lang)}
        >
          {l.text}
        </button>
      ))}
    </div>
  );
}
