import { useI18n } from '../i18n/I18nProvider';

/** The contact's list fields (mapped and custom columns) as name / value rows. */
export function ContactFieldsTable({ fields }: { fields: Record<string, string> }) {
  const { t, label } = useI18n();
  const entries = Object.entries(fields).filter(([, v]) => v !== '');
  if (entries.length === 0) return <p className="empty">{t('outbound.noFields')}</p>;
  return (
    <table className="table compact contact-fields" data-testid="contact-fields">
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name} data-field={name}>
            <th scope="row">{label('contactField', name, name)}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
