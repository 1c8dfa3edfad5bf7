import type { PopCampaign, PopContact } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import type { CallEntry } from '../live/calls-reducer';
import { CampaignScript } from './CampaignScript';
import { ContactFieldsTable } from './ContactFieldsTable';
import { PreviewActions } from './PreviewActions';

/** A campaign call on the screen-pop: campaign, contact's fields, script, preview Dial / Skip. */
export function CampaignPanel(props: {
  entry: CallEntry;
  campaign: PopCampaign;
  contact: PopContact | null;
}) {
  const { t, label } = useI18n();
  const { entry, campaign, contact } = props;
  const preview = entry.pop.preview === true && contact !== null;
  return (
    <section
      className="outbound-panel"
      data-testid="outbound-panel"
      data-campaign-id={campaign.id}
      data-contact-id={contact?.id}
    >
      <header className="outbound-head">
        <h2 data-testid="campaign-name">{campaign.name}</h2>
        {campaign.mode ? (
          <span className="badge muted-badge">{label('campaignMode', campaign.mode)}</span>
        ) : null}
        {contact ? (
          <span className="muted" data-testid="contact-attempts">
            {t('outbound.attempts', { count: contact.attempts })}
          </span>
        ) : null}
      </header>
      {preview && entry.answeredAt === null ? (
        <PreviewActions contactId={contact.id} open={entry.state !== 'ended'} />
      ) : null}
      <div className="outbound-grid">
        <section>
          <h3>{t('outbound.contact')}</h3>
          {contact ? (
            <ContactFieldsTable fields={contact.fields} />
          ) : (
            <p className="empty">{t('outbound.noFields')}</p>
          )}
        </section>
        <CampaignScript script={campaign.script} />
      </div>
    </section>
  );
}
