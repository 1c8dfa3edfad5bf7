import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, migrate, type Db } from '../../../src/db';
import { resolveUnder, runRetention } from '../../../src/qa/retention';
import { silentLogger } from '../../../src/shared/logger';
import { insertCall, insertRecording, insertUser } from './qa-data';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-24T03:00:00Z');

describe('retention', () => {
  let db: Db;
  let root: string;
  let dir: string;

  beforeAll(async () => {
    db = createDb('sqlite::memory:');
    await migrate(db);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-retention-'));
    dir = path.join(root, 'recordings');
    fs.mkdirSync(dir);
  });
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function recorded(ageDays: number, o: { legalHold?: boolean; file?: boolean } = {}) {
    const callId = await insertCall(db, {
      agentId: null,
      startedAt: NOW - ageDays * DAY,
      legalHold: o.legalHold,
    });
    const recId = await insertRecording(db, { callId, createdAt: NOW - ageDays * DAY });
    const rel = `2024/01/01/${recId}.wav`;
    await db('recordings').where({ id: recId }).update({ path: rel });
    if (o.file !== false) {
      fs.mkdirSync(path.join(dir, '2024/01/01'), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), 'RIFF');
    }
    return { callId, recId, file: path.join(dir, rel) };
  }

  async function evaluation(callId: string, ageDays: number, reviewer: number) {
    const [row] = await db('qa_evaluations')
      .insert({
        call_id: callId,
        reviewer_id: reviewer,
        answers: '[]',
        comments: '[]',
        score: 80,
        critical_failed: false,
        submitted_at: NOW - ageDays * DAY,
        created_at: NOW - ageDays * DAY,
      })
      .returning<Array<{ id: number }>>('id');
    return row!.id;
  }

  it('deletes exactly the expired recordings (file and row) and evaluations, not held ones', async () => {
    const reviewer = await insertUser(db, 'rita', 'qa');
    const old = await recorded(800);
    const oldNoFile = await recorded(800, { file: false });
    const held = await recorded(900, { legalHold: true });
    const fresh = await recorded(100);
    const borderline = await recorded(729);
    const escaping = await recorded(800, { file: false });
    await db('recordings').where({ id: escaping.recId }).update({ path: '../../etc/passwd' });
    const outside = path.join(root, 'outside.txt');
    fs.writeFileSync(outside, 'keep me');
    const escapingToFile = await recorded(800, { file: false });
    await db('recordings').where({ id: escapingToFile.recId }).update({ path: '../outside.txt' });

    const oldEval = await evaluation(old.callId, 731, reviewer);
    const heldEval = await evaluation(held.callId, 900, reviewer);
    const freshEval = await evaluation(fresh.callId, 10, reviewer);
    // evaluations and recordings have their own periods
    const youngEvalOnOldCall = await evaluation(oldNoFile.callId, 30, reviewer);

    const result = await runRetention({
      db,
      recordingsDir: dir,
      recordingsDays: 730,
      evaluationsDays: 730,
      now: NOW,
      log: silentLogger(),
    });

    expect(result.recordingIds.sort()).toEqual([old.recId, oldNoFile.recId].sort());
    expect(result.evaluationIds).toEqual([oldEval]);
    expect(result.refusedRecordingIds.sort()).toEqual(
      [escaping.recId, escapingToFile.recId].sort(),
    );

    const recs = (await db('recordings').select('id')).map((r: { id: string }) => r.id).sort();
    expect(recs).toEqual(
      [held.recId, fresh.recId, borderline.recId, escaping.recId, escapingToFile.recId].sort(),
    );
    expect(fs.existsSync(old.file)).toBe(false);
    expect(fs.existsSync(held.file)).toBe(true);
    expect(fs.existsSync(fresh.file)).toBe(true);
    expect(fs.existsSync(borderline.file)).toBe(true);
    expect(fs.readFileSync(outside, 'utf8')).toBe('keep me');

    const evals = (await db('qa_evaluations').select('id')).map((r: { id: number }) => r.id).sort();
    expect(evals).toEqual([heldEval, freshEval, youngEvalOnOldCall].sort((a, b) => a - b));

    // the calls themselves stay
    expect(await db('calls').where({ id: old.callId }).first()).toBeTruthy();

    // a second run finds nothing more to do
    const again = await runRetention({
      db,
      recordingsDir: dir,
      recordingsDays: 730,
      evaluationsDays: 730,
      now: NOW,
      log: silentLogger(),
    });
    expect(again.recordingIds).toEqual([]);
    expect(again.evaluationIds).toEqual([]);
  });

  it('resolves paths under the recordings dir only', () => {
    expect(resolveUnder('/data/rec', '2026/11/24/a.wav')).toBe('/data/rec/2026/11/24/a.wav');
    expect(resolveUnder('/data/rec', '../../etc/passwd')).toBeNull();
    expect(resolveUnder('/data/rec', '/etc/passwd')).toBeNull();
    expect(resolveUnder('/data/rec', '../rec-other/x.wav')).toBeNull();
    expect(resolveUnder('/data/rec', '')).toBeNull();
    expect(resolveUnder('/data/rec', '2026/../../rec/x.wav')).toBe('/data/rec/x.wav');
  });
});
