import { useState, type FormEvent } from 'react';
import type { Queue, User } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { splitList } from '../common/format';
import { useI18n } from '../i18n/I18nProvider';
import { useAction } from '../common/useAction';

export type QueueChanges = Required<Omit<Queue, 'name' | 'dids' | 'openNow'>>;

const numOr = (s: string, fallback: number) => (s.trim() === '' ? fallback : Number(s));

/** A queue's timers, skills, members and opening hours. */
export function QueueForm(props: {
  queue: Queue;
  users: User[];
  readOnly: boolean;
  onSubmit: (changes: QueueChanges) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const q = props.queue;
  const [ring, setRing] = useState(String(q.ringTimeoutSec ?? ''));
  const [ownerFirst, setOwnerFirst] = useState(String(q.ownerFirstSec ?? ''));
  const [sl, setSl] = useState(String(q.serviceLevelSec ?? ''));
  const [skills, setSkills] = useState((q.skills ?? []).join(', '));
  const [members, setMembers] = useState<Set<number>>(new Set(q.members ?? []));
  const [hours, setHours] = useState((q.hours ?? []).join('\n'));
  const [timezone, setTimezone] = useState(q.timezone ?? '');
  const [callbackAfter, setCallbackAfter] = useState(
    q.callbackOfferAfterSec === null || q.callbackOfferAfterSec === undefined
      ? ''
      : String(q.callbackOfferAfterSec),
  );
  const [recording, setRecording] = useState(q.recording ?? 'always');
  const [survey, setSurvey] = useState(q.survey ?? 'off');
  const [slTarget, setSlTarget] = useState(String(q.serviceLevelTargetPct ?? ''));
  const [maxWait, setMaxWait] = useState(String(q.maxWaitAlertSec ?? ''));
  const { busy, error, run } = useAction();

  function toggle(id: number) {
    setMembers((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    run(() =>
      props.onSubmit({
        ringTimeoutSec: numOr(ring, q.ringTimeoutSec ?? 15),
        ownerFirstSec: numOr(ownerFirst, q.ownerFirstSec ?? 0),
        serviceLevelSec: numOr(sl, q.serviceLevelSec ?? 20),
        skills: splitList(skills),
        members: [...members],
        hours: hours
          .split('\n')
          .map((h) => h.trim())
          .filter(Boolean),
        timezone: timezone.trim(),
        callbackOfferAfterSec: callbackAfter.trim() === '' ? null : Number(callbackAfter),
        recording,
        survey,
        serviceLevelTargetPct: numOr(slTarget, q.serviceLevelTargetPct ?? 80),
        maxWaitAlertSec: numOr(maxWait, q.maxWaitAlertSec ?? 60),
      }),
    );
  }

  const agents = props.users.filter((u) => u.extension);
  return (
    <form className="form-grid" onSubmit={submit} data-testid="queue-form">
      <fieldset disabled={props.readOnly} className="contents">
        <label className="field">
          <span>{t('queues.ringTimeout')}</span>
          <input type="number" min={1} value={ring} onChange={(e) => setRing(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('queues.ownerFirst')}</span>
          <input
            type="number"
            min={0}
            value={ownerFirst}
            onChange={(e) => setOwnerFirst(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('queues.serviceLevel')}</span>
          <input type="number" min={1} value={sl} onChange={(e) => setSl(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('queues.callbackAfter')}</span>
          <input
            type="number"
            min={0}
            value={callbackAfter}
            placeholder={t('queues.callbackOff')}
            onChange={(e) => setCallbackAfter(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('queues.slTargetPct')}</span>
          <input
            type="number"
            min={1}
            max={100}
            value={slTarget}
            data-testid="queue-sl-target"
            onChange={(e) => setSlTarget(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('queues.maxWaitAlert')}</span>
          <input
            type="number"
            min={5}
            value={maxWait}
            data-testid="queue-max-wait"
            onChange={(e) => setMaxWait(e.target.value)}
          />
        </label>
        <small className="muted span-2">{t('queues.wallHint')}</small>
        <label className="field span-2">
          <span>{t('queues.skills')}</span>
          <input
            value={skills}
            placeholder={t('common.commaList')}
            onChange={(e) => setSkills(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('queues.hours')}</span>
          <textarea
            rows={4}
            value={hours}
            placeholder={'mon-fri 08:00-18:00\nsat 09:00-12:00'}
            onChange={(e) => setHours(e.target.value)}
          />
          <small className="muted">{t('queues.hoursHint')}</small>
        </label>
        <label className="field">
          <span>{t('queues.timezone')}</span>
          <input
            value={timezone}
            placeholder="Asia/Shanghai"
            onChange={(e) => setTimezone(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('queues.recording')}</span>
          <select
            value={recording}
            data-testid="queue-recording"
            onChange={(e) => setRecording(e.target.value as typeof recording)}
          >
            <option value="always">{t('queues.recordingAlways')}</option>
            <option value="on-demand">{t('queues.recordingOnDemand')}</option>
            <option value="never">{t('queues.recordingNever')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('queues.survey')}</span>
          <select
            value={survey}
            data-testid="queue-survey"
            onChange={(e) => setSurvey(e.target.value as typeof survey)}
          >
            <option value="off">{t('queues.surveyOff')}</option>
            <option value="after-agent-hangup">{t('queues.surveyAfterAgentHangup')}</option>
          </select>
        </label>
        <div className="field span-2">
          <span>{t('queues.members')}</span>
          <div className="member-grid">
            {agents.length === 0 ? <span className="muted">{t('queues.noAgents')}</span> : null}
            {agents.map((u) => (
              <label key={u.id} className="member">
                <input type="checkbox" checked={members.has(u.id)} onChange={() => toggle(u.id)} />
                {u.name} <span className="muted small">{u.extension}</span>
              </label>
            ))}
          </div>
          <small className="muted">{t('queues.membersHint')}</small>
        </div>
      </fieldset>
      <ErrorMessage error={error} />
      <div className="form-actions span-2">
        <button type="button" className="btn" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
        {!props.readOnly ? (
          <button type="submit" className="btn primary" disabled={busy}>
            {t('common.save')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
