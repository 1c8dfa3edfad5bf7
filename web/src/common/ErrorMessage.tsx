import { ApiError } from '../api/client';
import { useI18n } from '../i18n/I18nProvider';

/** Turns an API or network failure into a sentence the agent can act on. */
export function useErrorText() {
  const { t } = useI18n();
  return (error: unknown): string => {
    if (error instanceof ApiError) {
      if (error.status === 0) return t('error.network');
      if (error.code === 'HOTLINE_BAD_CREDENTIALS') return t('error.badCredentials');
      const known: Record<number, string> = {
        403: t('error.forbidden'),
        404: t('error.notFound'),
        409: t('error.conflict'),
        500: t('error.server'),
        501: t('error.notImplemented'),
        503: t('error.unavailable'),
      };
      const head = known[error.status];
      if (head) return error.message ? `${head} (${error.message})` : head;
      return error.message || t('error.generic', { status: error.status });
    }
    return error instanceof Error ? error.message : t('error.unknown');
  };
}

export function ErrorMessage({ error, testId }: { error: unknown; testId?: string }) {
  const text = useErrorText();
  if (!error) return null;
  return (
    <div className="error-msg" role="alert" data-testid={testId ?? 'error'}>
      {text(error)}
    </div>
  );
}
