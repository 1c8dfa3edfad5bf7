/** What a PCM WAV file's header says, and how loud its samples get. */
export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 1 = PCM */
  format: number;
  /** Sample frames in the data chunk (as far as the bytes at hand go). */
  frames: number;
  /** Largest absolute 16-bit sample, 0..32768 (0 for other sample sizes). */
  peak: number;
}

/** Reads a whole WAV file's header and data; null when it is not a RIFF/WAVE file with fmt + data. */
export function wavInfo(buf: Buffer): WavInfo | null {
  if (buf.length < 12) return null;
  if (buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE')
    return null;
  let fmt: Omit<WavInfo, 'frames' | 'peak'> | null = null;
  let at = 12;
  while (at + 8 <= buf.length) {
    const id = buf.toString('latin1', at, at + 4);
    const len = buf.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ' && body + 16 <= buf.length) {
      fmt = {
        format: buf.readUInt16LE(body),
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        bitsPerSample: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data' && fmt) {
      // A header Asterisk (or espeak-ng) never finished may say 0 or 0x7fffffff: trust the bytes.
      const end = len > 0 && body + len <= buf.length ? body + len : buf.length;
      const frameBytes = Math.max(1, (fmt.bitsPerSample / 8) * fmt.channels);
      let peak = 0;
      if (fmt.bitsPerSample === 16) {
        for (let i = body; i + 1 < end; i += 2) {
          const s = Math.abs(buf.readInt16LE(i));
          if (s > peak) peak = s;
        }
      }
      return { ...fmt, frames: Math.floor((end - body) / frameBytes), peak };
    }
    at = body + len + (len % 2);
  }
  return null;
}
