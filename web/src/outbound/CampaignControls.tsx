import { useState } from 'react';
import type { Campaign } from '../api/types';
import { ErrorMessage } from '../common/ErrorMessage';
import type { MsgKey } from '../i18n/en';
import { useI18n } from '../i18n/I18nProvider';
import { campaignAction, type CampaignAction } from './campaign-api';

const ACTIONS: Array<{
  action: CampaignAction;
  msg: MsgKey;
  className: string;
  /** Statuses it is pointless from (the service has the last word on the rest). */
  not: Array<Campaign['status']>;
}> = [
  { action: 'start', msg: 'campaigns.start', className: 'btn primary', not: ['running'] },
  {
    action: 'pause',
    msg: 'campaigns.pause',
    className: 'btn warn',
    not: ['draft', 'paused', 'stopped'],
  },
  { action: 'stop', msg: 'campaigns.stop', className: 'btn danger', not: ['stopped'] },
];

/** Start / Pause / Stop; the service answers with the campaign in its new status. */
export function CampaignControls(props: { campaign: Campaign; onChanged: (c: Campaign) => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<CampaignAction | null>(null);
  const [error, setError] = useState<unknown>(null);
  const c = props.campaign;

  function run(action: CampaignAction) {
    setBusy(action);
    setError(null);
    campaignAction(c.id, action)
      .then((updated) => props.onChanged(updated))
      .catch((e: unknown) => setError(e))
      .finally(() => setBusy(null));
  }

  return (
    <div className="campaign-controls">
      <div className="btn-row">
        {ACTIONS.map((a) => (
          <button
            key={a.action}
            type="button"
            className={a.className}
            disabled={busy !== null || a.not.includes(c.status)}
            data-testid={`campaign-${a.action}`}
            onClick={() => run(a.action)}
          >
            {t(a.msg)}
          </button>
        ))}
      </div>
      <ErrorMessage error={error} testId="campaign-control-error" />
    </div>
  );
}
