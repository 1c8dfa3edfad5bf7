import { useState, type FormEvent } from 'react';
import type { Campaign, CampaignInput, CampaignMode, Queue } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import { useI18n } from '../i18n/I18nProvider';
import { createCampaign } from './campaign-api';
import { useAction } from '../common/useAction';

const MODES: CampaignMode[] = ['preview', 'progressive', 'predictive'];

function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** A new campaign: name, queue, dialing mode, calling hours, attempts, caller ID, script, cap. */
export function CampaignForm(props: {
  queues: Queue[];
  onCreated: (c: Campaign) => void;
  onCancel: () => void;
}) {
  const { t, label } = useI18n();
  const [name, setName] = useState('');
  const [queue, setQueue] = useState('');
  const [mode, setMode] = useState<CampaignMode>('preview');
  const [from, setFrom] = useState('09:00');
  const [to, setTo] = useState('18:00');
  const [days, setDays] = useState('');
  const [timezone, setTimezone] = useState(browserZone);
  const [maxAttempts, setMaxAttempts] = useState('3');
  const [callerId, setCallerId] = useState('');
  const [script, setScript] = useState('');
  const [abandonCap, setAbandonCap] = useState('3');
  const [amd, setAmd] = useState(false);
  const { busy, error, run } = useAction();
  const chosenQueue = queue || props.queues[0]?.name || '';

  function submit(e: FormEvent) {
    e.preventDefault();
    const input: CampaignInput = {
      name: name.trim(),
      queue: chosenQueue,
      mode,
      hours: { from, to, ...(days.trim() ? { days: days.trim() } : {}) },
      timezone: timezone.trim(),
      maxAttempts: Number(maxAttempts),
      callerId: callerId.trim(),
      script,
      abandonCapPct: Number(abandonCap),
      // A preview campaign's agent is on the line and hears a machine: no detection.
      amd: mode !== 'preview' && amd,
    };
    run(() => createCampaign(input).then((c) => props.onCreated(c)));
  }

  return (
    <form className="form-grid" onSubmit={submit} data-testid="campaign-form">
      <label className="field span-2">
        <span>{t('campaigns.name')} *</span>
        <input
          required
          maxLength={200}
          data-testid="campaign-form-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label className="field">
        <span>{t('campaigns.queue')} *</span>
        <select
          required
          data-testid="campaign-form-queue"
          value={chosenQueue}
          onChange={(e) => setQueue(e.target.value)}
        >
          {props.queues.map((q) => (
            <option key={q.name} value={q.name}>
              {q.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('campaigns.mode')}</span>
        <select
          data-testid="campaign-form-mode"
          value={mode}
          onChange={(e) => setMode(e.target.value as CampaignMode)}
        >
          {MODES.map((m) => (
            <option key={m} value={m}>
              {label('campaignMode', m)}
            </option>
          ))}
        </select>
        <small className="muted">{t(`campaignModeHint.${mode}`)}</small>
      </label>
      <div className="field">
        <span>{t('campaigns.hours')} *</span>
        <div className="inline-fields">
          <input
            type="time"
            required
            aria-label={t('campaigns.hoursFrom')}
            data-testid="campaign-form-from"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
          <span>–</span>
          <input
            type="time"
            required
            aria-label={t('campaigns.hoursTo')}
            data-testid="campaign-form-to"
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        </div>
        <small className="muted">{t('campaigns.hoursHint')}</small>
      </div>
      <label className="field">
        <span>{t('campaigns.days')}</span>
        <input
          placeholder="mon-fri"
          data-testid="campaign-form-days"
          value={days}
          onChange={(e) => setDays(e.target.value)}
        />
        <small className="muted">{t('campaigns.daysHint')}</small>
      </label>
      <label className="field">
        <span>{t('campaigns.timezone')} *</span>
        <input
          required
          placeholder="Asia/Shanghai"
          data-testid="campaign-form-timezone"
          value={timezone}
          onChange={(e) => setTimezone(e.target.value)}
        />
      </label>
      <label className="field">
        <span>{t('campaigns.callerId')} *</span>
        <input
          required
          pattern="\+?[0-9]{2,20}"
          inputMode="tel"
          data-testid="campaign-form-caller-id"
          value={callerId}
          onChange={(e) => setCallerId(e.target.value)}
        />
      </label>
      <label className="field">
        <span>{t('campaigns.maxAttempts')}</span>
        <input
          type="number"
          min={1}
          max={50}
          required
          data-testid="campaign-form-max-attempts"
          value={maxAttempts}
          onChange={(e) => setMaxAttempts(e.target.value)}
        />
      </label>
      <label className="field">
        <span>{t('campaigns.abandonCap')}</span>
        <input
          type="number"
          min={0}
          max={100}
          step={0.1}
          required
          data-testid="campaign-form-abandon-cap"
          value={abandonCap}
          onChange={(e) => setAbandonCap(e.target.value)}
        />
      </label>
      {mode !== 'preview' && (
        <label className="field span-2 checkbox-field">
          <span>
            <input
              type="checkbox"
              data-testid="campaign-form-amd"
              checked={amd}
              onChange={(e) => setAmd(e.target.checked)}
            />{' '}
            {t('campaigns.amd')}
          </span>
          <small className="muted">{t('campaigns.amdHint')}</small>
        </label>
      )}
      <label className="field span-2">
        <span>{t('campaigns.script')}</span>
        <textarea
          rows={6}
          data-testid="campaign-form-script"
          placeholder={t('campaigns.scriptPlaceholder')}
          value={script}
          onChange={(e) => setScript(e.target.value)}
        />
        <small className="muted">{t('campaigns.scriptHint')}</small>
      </label>
      <ErrorMessage error={error} testId="campaign-form-error" />
      <div className="form-actions span-2">
        <button type="button" className="btn" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
        <button
          type="submit"
          className="btn primary"
          disabled={busy || !chosenQueue}
          data-testid="campaign-form-submit"
        >
          {t('campaigns.create')}
        </button>
      </div>
    </form>
  );
}
