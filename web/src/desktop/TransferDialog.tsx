import { useState, type FormEvent } from 'react';
import { post } from '../api/client';
import type { AgentView, Queue, TransferTarget } from '../api/types';
import { useSession } from '../auth/SessionProvider';
import { ErrorMessage } from '../common/ErrorMessage';
import { Modal } from '../common/Modal';
import { useApiData } from '../common/useApiData';
import { useI18n } from '../i18n/I18nProvider';
import type { Consult } from '../live/calls-reducer';
import { useAction } from '../common/useAction';

type Mode = 'blind' | 'attended';
type Kind = TransferTarget['type'];

/** Blind or attended transfer to an agent, a queue or an outside number. */
export function TransferDialog(props: {
  callId: string;
  onClose: () => void;
  onStarted: (mode: Mode, consult: Consult) => void;
}) {
  const { t, label } = useI18n();
  const { user } = useSession();
  const [mode, setMode] = useState<Mode>('blind');
  const [kind, setKind] = useState<Kind>('agent');
  const [agentId, setAgentId] = useState<number | null>(null);
  const [queue, setQueue] = useState('');
  const [number, setNumber] = useState('');
  const { busy, error, run } = useAction();
  const agents = useApiData<{ agents: AgentView[] }>(kind === 'agent' ? '/agents' : null);
  const queues = useApiData<{ queues: Queue[] }>(kind === 'queue' ? '/queues' : null);

  const target: TransferTarget | null =
    kind === 'agent'
      ? agentId
        ? { type: 'agent', userId: agentId }
        : null
      : kind === 'queue'
        ? queue
          ? { type: 'queue', name: queue }
          : null
        : number.trim().length >= 3
          ? { type: 'external', number: number.trim() }
          : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!target) return;
    run(() =>
      post(`/calls/${encodeURIComponent(props.callId)}/transfer`, { mode, target }).then(() =>
        props.onStarted(mode, { target, label: targetLabel(target) }),
      ),
    );
  }

  function targetLabel(target: TransferTarget): string {
    if (target.type === 'agent')
      return (
        agents.data?.agents.find((a) => a.userId === target.userId)?.name ?? `#${target.userId}`
      );
    return target.type === 'queue' ? target.name : target.number;
  }

  const others = (agents.data?.agents ?? []).filter((a) => a.userId !== user?.id);
  return (
    <Modal title={t('transfer.title')} onClose={props.onClose} testId="transfer-dialog">
      <form onSubmit={submit} className="stack">
        <div className="segmented" role="radiogroup" aria-label={t('transfer.mode')}>
          {(['blind', 'attended'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={mode === m}
              className={mode === m ? 'active' : ''}
              onClick={() => setMode(m)}
              data-testid={`transfer-mode-${m}`}
            >
              {t(m === 'blind' ? 'transfer.blind' : 'transfer.attended')}
            </button>
          ))}
        </div>
        <p className="muted small">
          {t(mode === 'blind' ? 'transfer.blindHint' : 'transfer.attendedHint')}
        </p>
        <div className="tabs" role="tablist">
          {(['agent', 'queue', 'external'] as const).map((k) => (
            <button
              key={k}
              type="button"
              role="tab"
              aria-selected={kind === k}
              className={kind === k ? 'active' : ''}
              onClick={() => setKind(k)}
              data-testid={`transfer-kind-${k}`}
            >
              {t(`transfer.to.${k}`)}
            </button>
          ))}
        </div>
        {kind === 'agent' ? (
          <div className="pick-list">
            <ErrorMessage error={agents.error} />
            {agents.loading ? <p className="muted">{t('common.loading')}</p> : null}
            {!agents.loading && !agents.error && others.length === 0 ? (
              <p className="empty">{t('transfer.noAgents')}</p>
            ) : null}
            {others.map((a) => (
              <label
                key={a.userId}
                className={`pick-row${agentId === a.userId ? ' selected' : ''}`}
              >
                <input
                  type="radio"
                  name="agent"
                  checked={agentId === a.userId}
                  onChange={() => setAgentId(a.userId)}
                />
                <span className="pick-main">{a.name}</span>
                <span className="muted small">
                  #{a.userId}
                  {a.extension ? ` · ${t('header.ext')} ${a.extension}` : ''}
                </span>
                <span className={`state-chip state-${a.state}`}>{label('state', a.state)}</span>
                <span className={`activity-pill activity-${a.activity}`}>
                  {label('activity', a.activity)}
                </span>
              </label>
            ))}
          </div>
        ) : null}
        {kind === 'queue' ? (
          <div className="pick-list">
            <ErrorMessage error={queues.error} />
            {queues.loading ? <p className="muted">{t('common.loading')}</p> : null}
            {(queues.data?.queues ?? []).map((q) => (
              <label key={q.name} className={`pick-row${queue === q.name ? ' selected' : ''}`}>
                <input
                  type="radio"
                  name="queue"
                  checked={queue === q.name}
                  onChange={() => setQueue(q.name)}
                />
                <span className="pick-main">{q.name}</span>
                <span className="muted small">{(q.skills ?? []).join(', ')}</span>
              </label>
            ))}
          </div>
        ) : null}
        {kind === 'external' ? (
          <label className="field">
            <span>{t('transfer.number')}</span>
            <input
              data-testid="transfer-number"
              inputMode="tel"
              value={number}
              onChange={(e) => setNumber(e.target.value)}
              placeholder="+86 …"
            />
          </label>
        ) : null}
        <ErrorMessage error={error} testId="transfer-error" />
        <div className="form-actions">
          <button type="button" className="btn" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="btn primary"
            disabled={!target || busy}
            data-testid="transfer-submit"
          >
            {t(mode === 'blind' ? 'transfer.submitBlind' : 'transfer.submitAttended')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
