import { useState, type FormEvent } from 'react';
import { put } from '../api/client';
import type { CampaignDisposition } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { duration, localInputToIso, toLocalInput } from '../common/format';
import { useLookup } from '../common/useLookup';
import { useNow } from '../common/useNow';
import { useI18n } from '../i18n/I18nProvider';
import { useLive } from '../live/LiveProvider';
import { useAction } from '../common/useAction';

/**
 * After-call work: countdown, disposition, notes, optional follow-up; saving ends it. A campaign
 * call offers the campaign's dispositions instead of the global list: one with `callback` asks
 * when to call back (`callbackAt`), one with `dnc` warns that the number is never called again.
 */
export function WrapUpPanel({
  callId,
  customerId,
  campaignDispositions,
}: {
  callId: string;
  /** The customer on the card (matched, picked or created): the call record is linked to them. */
  customerId: number | null;
  /** Campaign calls: the campaign's own dispositions (from the pop). */
  campaignDispositions?: CampaignDisposition[];
}) {
  const { t, label } = useI18n();
  const { agent, wrapped } = useLive();
  const { items: dispositions, error: listError } = useLookup('dispositions');
  const now = useNow();
  const [disposition, setDisposition] = useState('');
  const [notes, setNotes] = useState('');
  const [followUp, setFollowUp] = useState(false);
  const [dueAt, setDueAt] = useState(() => toLocalInput(new Date(Date.now() + 24 * 3600_000)));
  const [followNote, setFollowNote] = useState('');
  const [callbackAt, setCallbackAt] = useState(() => toLocalInput(new Date(Date.now() + 3600_000)));
  const { busy, error, run } = useAction();

  const until =
    agent?.activity === 'wrap-up' && agent.wrapUpUntil ? Date.parse(agent.wrapUpUntil) : null;
  const left = until === null ? null : until - now;
  const campaignList = campaignDispositions?.length ? campaignDispositions : null;
  const options: CampaignDisposition[] =
    campaignList ?? dispositions.map((d) => ({ ...d, final: true }));
  const chosen = campaignList?.find((d) => d.code === disposition) ?? null;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!disposition) return;
    const due = followUp ? localInputToIso(dueAt) : null;
    const callback = chosen?.callback ? localInputToIso(callbackAt) : null;
    if (chosen?.callback && !callback) return;
    run(() =>
      put(`/calls/${encodeURIComponent(callId)}/wrapup`, {
        disposition,
        notes: notes.trim() || undefined,
        ...(customerId !== null ? { customerId } : {}),
        ...(due ? { followUp: { dueAt: due, note: followNote.trim() || undefined } } : {}),
        ...(callback ? { callbackAt: callback } : {}),
      }).then(() => wrapped(callId, disposition)),
    );
  }

  return (
    <form
      className="wrapup"
      onSubmit={submit}
      data-testid="wrapup-panel"
      data-dispositions={campaignList ? 'campaign' : 'global'}
    >
      <header className="wrapup-head">
        <h3>{t('wrapup.title')}</h3>
        {left !== null ? (
          <span
            className={`countdown${left < 15_000 ? ' urgent' : ''}`}
            data-testid="wrapup-countdown"
          >
            {left > 0 ? t('wrapup.timeLeft', { time: duration(left) }) : t('wrapup.timeUp')}
          </span>
        ) : null}
      </header>
      <div className="wrapup-grid">
        <label className="field">
          <span>{t('wrapup.disposition')} *</span>
          <select
            data-testid="disposition-select"
            required
            value={disposition}
            onChange={(e) => setDisposition(e.target.value)}
          >
            <option value="" disabled>
              {t('wrapup.choose')}
            </option>
            {options.map((d) => (
              <option
                key={d.code}
                value={d.code}
                data-dnc={d.dnc ? 'yes' : undefined}
                data-callback={d.callback ? 'yes' : undefined}
              >
                {`${label('disposition', d.code, d.label)}${d.dnc ? ` — ${t('wrapup.dncTag')}` : ''}`}
              </option>
            ))}
          </select>
        </label>
        {chosen?.callback ? (
          <label className="field">
            <span>{t('wrapup.callbackAt')} *</span>
            <input
              type="datetime-local"
              data-testid="callback-at"
              required
              min={toLocalInput(new Date(now))}
              value={callbackAt}
              onChange={(e) => setCallbackAt(e.target.value)}
            />
          </label>
        ) : null}
        {chosen?.dnc ? (
          <div className="notice warn-notice span-2" role="status" data-testid="dnc-warning">
            {t('wrapup.dncWarning')}
          </div>
        ) : null}
        <label className="field checkbox-field">
          <input
            type="checkbox"
            data-testid="followup-toggle"
            checked={followUp}
            onChange={(e) => setFollowUp(e.target.checked)}
          />
          <span>{t('wrapup.followUp')}</span>
        </label>
        <label className="field span-2">
          <span>{t('wrapup.notes')}</span>
          <textarea
            data-testid="wrapup-notes"
            rows={3}
            value={notes}
            placeholder={t('wrapup.notesHint')}
            onChange={(e) => setNotes(e.target.value)}
          />
        </label>
        {followUp ? (
          <>
            <label className="field">
              <span>{t('wrapup.followUpDue')}</span>
              <input
                type="datetime-local"
                data-testid="followup-due"
                required
                value={dueAt}
                onChange={(e) => setDueAt(e.target.value)}
              />
            </label>
            <label className="field">
              <span>{t('wrapup.followUpNote')}</span>
              <input
                data-testid="followup-note"
                value={followNote}
                onChange={(e) => setFollowNote(e.target.value)}
              />
            </label>
          </>
        ) : null}
      </div>
      <ErrorMessage error={(campaignList ? null : listError) ?? error} testId="wrapup-error" />
      <div className="form-actions">
        <button
          type="submit"
          className="btn primary"
          disabled={busy || !disposition}
          data-testid="wrapup-submit"
        >
          {t('wrapup.submit')}
        </button>
      </div>
    </form>
  );
}
