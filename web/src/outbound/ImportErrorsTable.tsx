import type { ImportRowError } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';

/** The rows an import did not take (or flagged), with the reason and the line as it was. */
export function ImportErrorsTable({ errors }: { errors: ImportRowError[] }) {
  const { t, label } = useI18n();
  return (
    <table className="table compact" data-testid="import-errors">
      <thead>
        <tr>
          <th className="num">{t('import.row')}</th>
          <th>{t('import.reason')}</th>
          <th>{t('import.raw')}</th>
        </tr>
      </thead>
      <tbody>
        {errors.map((e, i) => (
          <tr key={`${e.row}-${i}`} data-testid="import-error-row" data-reason={e.reason}>
            <td className="num">{e.row}</td>
            <td className="nowrap">{label('importReason', e.reason)}</td>
            <td className="mono small">{e.raw}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
