import { useEffect, useState } from 'react';
import { getBlob } from '../api/client';

/**
 * An object URL for a recording's audio, fetched with the bearer token (an `<audio>` element
 * cannot send it); revoked when the recording changes or the page closes.
 */
export function useRecordingUrl(recordingId: string | null) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    if (!recordingId) return;
    const abort = new AbortController();
    let objectUrl: string | null = null;
    setLoading(true);
    setError(null);
    getBlob(`/recordings/${encodeURIComponent(recordingId)}/audio`, abort.signal)
      .then((blob) => {
        if (abort.signal.aborted) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      })
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setError(e);
      })
      .finally(() => {
        if (!abort.signal.aborted) setLoading(false);
      });
    return () => {
      abort.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      setUrl(null);
    };
  }, [recordingId]);
  return { url, error, loading };
}
