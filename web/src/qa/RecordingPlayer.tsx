import type { RefObject } from 'react';
import { ErrorMessage } from '../common/ErrorMessage';
import { useI18n } from '../i18n/I18nProvider';
import { useRecordingUrl } from './useRecordingUrl';

/** The call's recording in the browser's own player (fetched with the token, see useRecordingUrl). */
export function RecordingPlayer(props: {
  recordingId: string | null;
  audioRef: RefObject<HTMLAudioElement | null>;
  onTime?: (ms: number) => void;
}) {
  const { t } = useI18n();
  const { url, error, loading } = useRecordingUrl(props.recordingId);
  if (!props.recordingId) return <p className="empty">{t('qa.noRecording')}</p>;
  return (
    <div className="player" data-testid="recording-player">
      <ErrorMessage error={error} testId="recording-error" />
      {loading ? <p className="muted small">{t('qa.loadingAudio')}</p> : null}
      <audio
        ref={props.audioRef}
        controls
        preload="metadata"
        src={url ?? undefined}
        data-testid="recording-audio"
        data-ready={url ? 'yes' : 'no'}
        onTimeUpdate={(e) => props.onTime?.(e.currentTarget.currentTime * 1000)}
        onSeeked={(e) => props.onTime?.(e.currentTarget.currentTime * 1000)}
      />
    </div>
  );
}
