import type { AnswerValue, ScorecardQuestion } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { scaleMaxOf } from './score';

/** One question: yes / no (/ N/A) radios, or 1…scaleMax radios (/ N/A). */
export function QuestionInput(props: {
  question: ScorecardQuestion;
  value: AnswerValue | undefined;
  onChange: (v: AnswerValue) => void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const q = props.question;
  const name = `q-${q.id}`;
  const options: Array<{ value: AnswerValue; text: string; key: string }> =
    q.type === 'yes-no'
      ? [
          { value: 'yes', text: t('common.yes'), key: 'yes' },
          { value: 'no', text: t('common.no'), key: 'no' },
        ]
      : Array.from({ length: scaleMaxOf(q) }, (_, i) => ({
          value: i + 1,
          text: String(i + 1),
          key: String(i + 1),
        }));
  if (q.allowNa) options.push({ value: 'na', text: t('qa.na'), key: 'na' });
  return (
    <fieldset
      className={`question${q.critical ? ' critical' : ''}${props.value === undefined ? ' unanswered' : ''}`}
      data-testid={`question-${q.id}`}
      disabled={props.disabled}
    >
      <legend>
        <span className="question-text">{q.text}</span>
        {q.critical ? (
          <span className="badge danger" title={t('qa.criticalHint')}>
            {t('qa.critical')}
          </span>
        ) : null}
        <span className="muted small">
          {' '}
          {t('qa.weight', { weight: q.weight })}
          {q.type === 'scale' ? ` · 1–${scaleMaxOf(q)}` : ''}
        </span>
      </legend>
      <div className="answer-options">
        {options.map((o) => (
          <label
            key={o.key}
            className={`answer-option${props.value === o.value ? ' checked' : ''}`}
          >
            <input
              type="radio"
              name={name}
              checked={props.value === o.value}
              onChange={() => props.onChange(o.value)}
              data-testid={`answer-${q.id}-${o.key}`}
            />
            <span>{o.text}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
