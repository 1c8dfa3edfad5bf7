/**
 * A PCM WAV as Asterisk writes `wav`: 8 kHz mono 16-bit after a 44-byte header. `amplitude` 0 is
 * silence, else a square wave of that height; `finished: false` leaves the header's sizes at 0,
 * as in a file Asterisk has not closed yet.
 */
export function wav(frames: number, o: { amplitude?: number; finished?: boolean } = {}): Buffer {
  const amplitude = o.amplitude ?? 0;
  const finished = o.finished ?? true;
  const data = Buffer.alloc(frames * 2);
  if (amplitude)
    for (let i = 0; i < frames; i++) data.writeInt16LE(i % 16 < 8 ? amplitude : -amplitude, i * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(finished ? 36 + data.length : 0, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(16000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(finished ? data.length : 0, 40);
  return Buffer.concat([h, data]);
}
