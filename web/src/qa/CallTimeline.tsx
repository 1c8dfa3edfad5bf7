import type { TimelineEvent } from '../api/types';
import { duration } from '../common/format';
import { useI18n } from '../i18n/I18nProvider';

const HIGHLIGHT = new Set([
  'held',
  'resumed',
  'transfer-started',
  'transferred',
  'transfer-failed',
  'consult-started',
  'consult-answered',
  'consult-ended',
  'recording-started',
  'recording-paused',
  'recording-resumed',
  'recording-failed',
]);

/**
 * What happened on the call, at its offset into the recording (`originMs` = when the recording
 * started); a click seeks the player there. Events before the recording show their offset from
 * the call's start instead and are not clickable.
 */
export function CallTimeline(props: {
  events: TimelineEvent[];
  originMs: number;
  callStartMs: number;
  lengthMs: number | null;
  onSeek: (ms: number) => void;
}) {
  const { t, label } = useI18n();
  if (!props.events.length) return <p className="empty">{t('qa.noTimeline')}</p>;
  return (
    <ol className="timeline" data-testid="call-timeline">
      {props.events.map((e, i) => {
        const at = Date.parse(e.at);
        const offset = at - props.originMs;
        const inRecording =
          offset >= 0 && (props.lengthMs === null || offset <= props.lengthMs + 1000);
        return (
          <li
            key={e.id ?? i}
            className={`timeline-item${HIGHLIGHT.has(e.type) ? ' highlight' : ''} tl-${e.type}`}
            data-testid={`timeline-${e.type}`}
          >
            {inRecording ? (
              <button
                type="button"
                className="link-btn timeline-at"
                title={t('qa.seekTo', { time: duration(offset) })}
                onClick={() => props.onSeek(offset)}
              >
                {duration(offset)}
              </button>
            ) : (
              <span className="timeline-at muted" title={t('qa.beforeRecording')}>
                +{duration(at - props.callStartMs)}
              </span>
            )}
            <span className="timeline-type">{label('timeline', e.type)}</span>
          </li>
        );
      })}
    </ol>
  );
}
