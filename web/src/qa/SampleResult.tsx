import { useState } from 'react';
import type { SampleJob } from '../api/types';
import { dateTime } from '../common/format';
import { useI18n } from '../i18n/I18nProvider';
import type { ReviewerOption } from './useReviewerOptions';

/** A drawn sample: its seed (to draw the same again) and the calls per agent with their reviewer. */
export function SampleResult(props: { sample: SampleJob; reviewers: ReviewerOption[] }) {
  const { t, locale } = useI18n();
  const [copied, setCopied] = useState(false);
  const s = props.sample;
  const items = s.items ?? [];
  const reviewerName = (id: number) => props.reviewers.find((r) => r.id === id)?.name ?? `#${id}`;
  const byAgent = new Map<number, typeof items>();
  for (const i of items) byAgent.set(i.agentId, [...(byAgent.get(i.agentId) ?? []), i]);

  function copy() {
    const done = () => {
      setCopied(true);
      window.setTimeout(() => setCopied(false), 1500);
    };
    navigator.clipboard?.writeText(s.seed).then(done, () => undefined);
  }

  return (
    <div className="sample-result" data-testid="sample-result" data-sample-id={s.id}>
      <div className="seed-row">
        <span className="muted">{t('qa.seed')}</span>
        <input
          readOnly
          className="seed-value"
          value={s.seed}
          onFocus={(e) => e.currentTarget.select()}
          data-testid="sample-seed-value"
        />
        <button type="button" className="btn small" onClick={copy} data-testid="sample-seed-copy">
          {copied ? t('qa.copied') : t('qa.copy')}
        </button>
      </div>
      <p className="muted small">
        {t('qa.sampleMeta', {
          id: s.id,
          from: dateTime(s.params.from, locale),
          to: dateTime(s.params.to, locale),
          count: items.length,
        })}
      </p>
      {items.length === 0 ? <p className="empty">{t('qa.sampleEmpty')}</p> : null}
      {[...byAgent.entries()].map(([agentId, list]) => (
        <div key={agentId} className="sample-agent" data-testid="sample-agent">
          <h3>
            {list[0]?.agentName ?? `#${agentId}`}{' '}
            <span className="muted small">{t('qa.callsCount', { count: list.length })}</span>
          </h3>
          <table className="table compact">
            <thead>
              <tr>
                <th>{t('qa.call')}</th>
                <th>{t('qa.reviewer')}</th>
                <th>{t('qa.status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((i) => (
                <tr key={i.callId} data-testid="sample-item" data-call-id={i.callId}>
                  <td className="mono">{i.callId.slice(0, 8)}</td>
                  <td>{reviewerName(i.reviewerId)}</td>
                  <td>
                    <span className={`item-status item-${i.status}`}>
                      {t(i.status === 'done' ? 'qa.itemDone' : 'qa.itemPending')}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
