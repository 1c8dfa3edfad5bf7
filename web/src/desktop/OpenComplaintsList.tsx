import type { PopComplaint } from '../api/types';
import { dateTime } from '../common/format';
import { useNow } from '../common/useNow';
import { useI18n } from '../i18n/I18nProvider';

/** Open complaints of the caller, with the reply time promised (red once it has passed). */
export function OpenComplaintsList({ complaints }: { complaints: PopComplaint[] }) {
  const { t, label, locale } = useI18n();
  const now = useNow(30_000);
  const open = complaints.filter((c) => c.status === 'open');
  if (open.length === 0) return <p className="empty">{t('pop.noComplaints')}</p>;
  return (
    <ul className="complaint-list" data-testid="open-complaints">
      {open.map((c) => {
        const late = c.promisedReplyAt !== null && Date.parse(c.promisedReplyAt) < now;
        return (
          <li key={c.id}>
            <div className="complaint-head">
              <span className={`sev sev-${c.severity}`}>{label('severity', c.severity)}</span>
              <strong>{label('category', c.category)}</strong>
              <span className="muted small">{dateTime(c.createdAt, locale)}</span>
            </div>
            <div className="complaint-desc">{c.description}</div>
            <div className={`small ${late ? 'overdue' : 'muted'}`}>
              {c.promisedReplyAt
                ? t(late ? 'complaint.replyOverdue' : 'complaint.replyBy', {
                    time: dateTime(c.promisedReplyAt, locale),
                  })
                : t('complaint.noPromise')}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
