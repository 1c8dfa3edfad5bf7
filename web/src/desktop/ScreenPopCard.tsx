import { useEffect, useLayoutEffect, useState } from 'react';
import { get } from '../api/client';
import type { Complaint, Customer, PopComplaint } from '../api/types';
import { CustomerEditDialog } from '../customers/CustomerEditDialog';
import { toPopCustomer } from '../customers/customer-values';
import { useI18n } from '../i18n/I18nProvider';
import { isFinished, type CallEntry } from '../live/calls-reducer';
import { useLive } from '../live/LiveProvider';
import { CampaignPanel } from '../outbound/CampaignPanel';
import { CallControls } from './CallControls';
import { CallHistoryList } from './CallHistoryList';
import { CallStatusStrip } from './CallStatusStrip';
import { CandidatePicker } from './CandidatePicker';
import { ComplaintDialog } from './ComplaintDialog';
import { CustomerSummary } from './CustomerSummary';
import { OpenComplaintsList } from './OpenComplaintsList';
import { UnknownCallerForm } from './UnknownCallerForm';
import { WrapUpPanel } from './WrapUpPanel';

/** The screen-pop: who is calling and their story, the call's controls, then the wrap-up. */
export function ScreenPopCard({ entry }: { entry: CallEntry }) {
  const { t, label } = useI18n();
  const { setCustomer, dismiss, popPainted } = useLive();
  // Mounted and committed: acknowledge the pop once this frame is painted.
  useLayoutEffect(() => popPainted(entry.callId), [entry.callId, popPainted]);
  const [details, setDetails] = useState<Customer | null>(null);
  const [added, setAdded] = useState<PopComplaint[]>([]);
  const [complaintOpen, setComplaintOpen] = useState(false);
  const [editOpen, setEditOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const customer = entry.customer;
  const customerId = customer?.id ?? null;
  /** Campaign calls (outbound dialing): the campaign and the contact being called. */
  const campaign = entry.pop.campaign ?? null;

  // The pop carries the essentials; notes and numbers come from the customer record.
  useEffect(() => {
    if (customerId === null) return;
    let live = true;
    get<Customer>(`/customers/${customerId}`)
      .then((c) => {
        if (live) setDetails(c);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [customerId]);

  const complaints = [...added, ...entry.pop.openComplaints];
  const finished = isFinished(entry);
  return (
    <article
      className={`pop-card${customer?.tier === 'vip' ? ' vip' : ''}${finished ? ' finished' : ''}`}
      data-testid="screenpop"
      data-call-id={entry.callId}
    >
      <CallStatusStrip entry={entry} />
      <div className="pop-body">
        {campaign ? (
          <CampaignPanel entry={entry} campaign={campaign} contact={entry.pop.contact ?? null} />
        ) : null}
        {customer ? (
          <CustomerSummary
            customer={customer}
            details={details}
            onComplaint={() => setComplaintOpen(true)}
            onEdit={() => setEditOpen(true)}
          />
        ) : entry.pop.candidates.length > 1 ? (
          <CandidatePicker
            candidates={entry.pop.candidates}
            onPick={(c) => setCustomer(entry.callId, c)}
          />
        ) : campaign ? null : (
          // A campaign's contact is known from its list: no "unknown caller" form for them.
          <UnknownCallerForm
            callerNumber={entry.pop.callerNumber}
            onCreated={(c) => {
              setDetails(c);
              setCustomer(entry.callId, toPopCustomer(c));
            }}
          />
        )}
        {notice ? (
          <div className="notice" role="status" data-testid="card-notice">
            {notice}
          </div>
        ) : null}
        <CallControls entry={entry} />
        {entry.state === 'ended' && !entry.missed && !entry.wrappedUp ? (
          <WrapUpPanel
            callId={entry.callId}
            customerId={customerId}
            campaignDispositions={campaign?.dispositions}
          />
        ) : null}
        {entry.wrappedUp || entry.missed ? (
          <div className={`done-bar${entry.missed ? ' missed' : ''}`} data-testid="call-done">
            <span>
              {entry.missed
                ? entry.pop.preview && entry.reason?.startsWith('skipped')
                  ? t('outbound.skipped', { reason: label('endReason', entry.reason) })
                  : t('pop.missedCall')
                : t('pop.wrappedUp', {
                    disposition: label(
                      'disposition',
                      entry.wrappedUp?.disposition,
                      campaign?.dispositions?.find((d) => d.code === entry.wrappedUp?.disposition)
                        ?.label,
                    ),
                  })}
            </span>
            <button
              type="button"
              className="btn small"
              data-testid="close-card"
              onClick={() => dismiss(entry.callId)}
            >
              {t('common.close')}
            </button>
          </div>
        ) : null}
        {customer ? (
          <div className="pop-details">
            <section className="pop-section history">
              <h3>{t('pop.history')}</h3>
              <CallHistoryList history={entry.pop.history} />
            </section>
            <section className="pop-section">
              <h3>
                {t('pop.openComplaints')}
                {complaints.length ? <span className="count">{complaints.length}</span> : null}
              </h3>
              <OpenComplaintsList complaints={complaints} />
              <h3>{t('pop.customerNotes')}</h3>
              <p className="customer-notes" data-testid="customer-notes">
                {details?.notes || <span className="empty">{t('pop.noNotes')}</span>}
              </p>
            </section>
          </div>
        ) : null}
      </div>
      {complaintOpen && customer ? (
        <ComplaintDialog
          customer={customer}
          callId={entry.callId}
          onClose={() => setComplaintOpen(false)}
          onCreated={(c: Complaint) => {
            setComplaintOpen(false);
            setAdded((list) => [c, ...list]);
            setNotice(t('complaint.created', { id: c.id }));
          }}
        />
      ) : null}
      {editOpen && details ? (
        <CustomerEditDialog
          customer={details}
          onClose={() => setEditOpen(false)}
          onSaved={(c) => {
            setEditOpen(false);
            setDetails(c);
            setCustomer(
              entry.callId,
              toPopCustomer(c, customer?.owner?.id === c.ownerUserId ? customer.owner.name : null),
            );
          }}
        />
      ) : null}
    </article>
  );
}
