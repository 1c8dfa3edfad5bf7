import { duration } from '../common/format';
import { useNow } from '../common/useNow';
import { useI18n } from '../i18n/I18nProvider';
import type { CallEntry } from '../live/calls-reducer';

/** Call state, timers, caller number, queue and waiting time along the top of the pop. */
export function CallStatusStrip({ entry }: { entry: CallEntry }) {
  const { t, label } = useI18n();
  const now = useNow();
  const shown = entry.missed ? 'missed' : entry.state;
  const talkFrom = entry.answeredAt;
  const until = entry.endedAt ?? now;
  const pop = entry.pop;
  return (
    <div className={`call-strip call-${shown}`}>
      <span className="call-state-pill" data-testid="call-state" data-state={shown}>
        {label('callState', shown)}
        {entry.state === 'ended' && entry.reason ? ` · ${label('endReason', entry.reason)}` : ''}
      </span>
      <span className="call-timer" title={t('pop.talkTime')}>
        {duration(until - (talkFrom ?? entry.poppedAt))}
      </span>
      {entry.state === 'held' && entry.heldAt ? (
        <span className="hold-timer">
          {t('pop.onHoldFor', { time: duration(now - entry.heldAt) })}
        </span>
      ) : null}
      <span className="strip-item">
        <span className="strip-label">{t('pop.caller')}</span>
        <strong data-testid="caller-number">{pop.callerNumber}</strong>
      </span>
      <span className="strip-item">
        <span className="strip-label">{t('pop.queue')}</span>
        {pop.queue ?? '—'}
      </span>
      <span className="strip-item">
        <span className="strip-label">{t('pop.waited')}</span>
        {duration(pop.waitedMs)}
      </span>
      <span className="strip-item">
        <span className="strip-label">{t('pop.dialed')}</span>
        {pop.dialedNumber}
      </span>
      <span className="strip-item">
        <span className="strip-label">{t('pop.direction')}</span>
        {label('direction', pop.direction)}
      </span>
    </div>
  );
}
