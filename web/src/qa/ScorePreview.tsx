import { useI18n } from '../i18n/I18nProvider';
import { formatScore, type ScoreResult } from './score';

/** The score as the form stands (the server computes the one that counts). */
export function ScorePreview({ result }: { result: ScoreResult }) {
  const { t } = useI18n();
  const tone = result.criticalFailed
    ? 'fail'
    : result.score === null
      ? 'none'
      : result.score >= 80
        ? 'good'
        : result.score >= 60
          ? 'fair'
          : 'poor';
  return (
    <div
      className={`score-preview score-${tone}`}
      data-testid="score-preview"
      data-score={result.score === null ? '' : String(result.score)}
      data-critical-failed={result.criticalFailed ? 'yes' : 'no'}
    >
      <span className="score-value">{formatScore(result.score)}</span>
      <span className="score-meta">
        {result.criticalFailed ? <strong>{t('qa.criticalFailed')}</strong> : t('qa.previewHint')}
        <br />
        {t('qa.answeredCount', { answered: result.answered, total: result.total })}
      </span>
    </div>
  );
}
