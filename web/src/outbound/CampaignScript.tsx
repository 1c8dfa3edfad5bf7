import { useI18n } from '../i18n/I18nProvider';

/** The campaign's script with the contact's fields already filled in by the service. */
export function CampaignScript({ script }: { script: string }) {
  const { t } = useI18n();
  return (
    <section className="campaign-script-wrap">
      <h3>{t('outbound.script')}</h3>
      {script.trim() ? (
        <div className="campaign-script" data-testid="campaign-script">
          {script}
        </div>
      ) : (
        <p className="empty" data-testid="campaign-script">
          {t('outbound.noScript')}
        </p>
      )}
    </section>
  );
}
