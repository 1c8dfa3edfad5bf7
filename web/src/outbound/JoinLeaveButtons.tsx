import { ErrorMessage } from '../common/ErrorMessage';
import { useI18n } from '../i18n/I18nProvider';
import { joinCampaign, leaveCampaign } from './campaign-api';
import { useAction } from '../common/useAction';

/**
 * Join / Leave for one campaign. `joined` undefined: the service did not say (both offered, both
 * are safe to repeat).
 */
export function JoinLeaveButtons(props: {
  campaignId: number;
  joined: boolean | undefined;
  onChange: (joined: boolean) => void;
}) {
  const { t } = useI18n();
  const { busy, error, run: act } = useAction();
  const id = props.campaignId;

  function run(join: boolean) {
    act(() => (join ? joinCampaign(id) : leaveCampaign(id)).then(() => props.onChange(join)));
  }

  return (
    <div className="join-leave">
      <div className="btn-row">
        {props.joined !== true ? (
          <button
            type="button"
            className="btn primary small"
            disabled={busy}
            data-testid={`campaign-join-${id}`}
            onClick={() => run(true)}
          >
            {t('campaigns.join')}
          </button>
        ) : null}
        {props.joined !== false ? (
          <button
            type="button"
            className="btn small"
            disabled={busy}
            data-testid={`campaign-leave-${id}`}
            onClick={() => run(false)}
          >
            {t('campaigns.leave')}
          </button>
        ) : null}
      </div>
      <ErrorMessage error={error} testId={`campaign-join-error-${id}`} />
    </div>
  );
}
