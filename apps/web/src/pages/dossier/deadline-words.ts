import { type DossierView, type LedgerEntry } from '../../api/types';
import { formatBudget, formatDateTime } from '../../format';
import { t } from '../../i18n';

export interface LedgerLine {
  key: string;
  at: string;
  kind: LedgerEntry['kind'];
  /** The entry in plain Vietnamese. */
  text: string;
  /** The engine's own explanation of it. */
  detail: string;
  legalBasis?: string;
}

const PAUSE_EVENTS: Record<string, string> = { SUPPLEMENT_REQUESTED: 'SUPPLEMENT', PAYMENT_REQUESTED: 'PAYMENT' };

/** Why a pause started: the request event recorded at the same instant (supplement or payment). */
function pauseReason(view: Pick<DossierView, 'history' | 'pauseReason'>, entry: LedgerEntry, open: boolean): string {
  const at = Date.parse(entry.at);
  const event = view.history.find((e) => PAUSE_EVENTS[e.type] && Math.abs(Date.parse(e.occurredAt) - at) < 1000);
  const reason = event ? PAUSE_EVENTS[event.type] : open ? view.pauseReason : null;
  return reason ? (t.dossier.ledgerPauseReasons[reason] ?? '') : '';
}

/**
 * The deadline ledger in words: one line per entry (a pause joined with the resume or restart that ended it), and
 * the sentence "Hạn trả kết quả là … vì: …".
 */
export function ledgerInWords(view: Pick<DossierView, 'deadline' | 'dueAt' | 'history' | 'pauseReason'>): {
  summary: string | null;
  lines: LedgerLine[];
} {
  const entries = view.deadline.ledger;
  const lines: LedgerLine[] = entries.flatMap((entry, i): LedgerLine[] => {
    const at = formatDateTime(entry.at);
    const base = { key: `${i}-${entry.kind}`, at: entry.at, kind: entry.kind, detail: entry.explanation };
    const withBasis = entry.legalBasis ? { legalBasis: entry.legalBasis } : {};
    switch (entry.kind) {
      case 'ANCHOR':
        return [{ ...base, ...withBasis, text: t.dossier.ledgerKinds.ANCHOR(at, formatBudget(view.deadline.budget)) }];
      case 'PAUSE': {
        const end = entries.slice(i + 1).find((e) => e.kind === 'RESUME' || e.kind === 'RESTART');
        const reason = pauseReason(view, entry, !end);
        return [
          {
            ...base,
            ...withBasis,
            text: t.dossier.ledgerKinds.PAUSE(at, end ? formatDateTime(end.at) : null, reason),
          },
        ];
      }
      case 'RESUME':
        return [
          {
            ...base,
            ...withBasis,
            text: [
              t.dossier.ledgerKinds.RESUME(at),
              ...(entry.dueAt ? [t.dossier.ledgerNewDue(formatDateTime(entry.dueAt))] : []),
            ].join(', '),
          },
        ];
      case 'RESTART':
        return [
          {
            ...base,
            ...withBasis,
            text: [
              t.dossier.ledgerKinds.RESTART(at),
              ...(entry.dueAt ? [t.dossier.ledgerNewDue(formatDateTime(entry.dueAt))] : []),
            ].join(', '),
          },
        ];
      case 'EXTENSION':
        return [
          {
            ...base,
            ...withBasis,
            text: t.dossier.ledgerKinds.EXTENSION(at, formatDateTime(entry.previousDueAt), formatDateTime(entry.dueAt)),
          },
        ];
      case 'CALENDAR_CHANGE':
        return [
          {
            ...base,
            ...withBasis,
            text: t.dossier.ledgerKinds.CALENDAR_CHANGE(
              at,
              formatDateTime(entry.previousDueAt),
              formatDateTime(entry.dueAt),
            ),
          },
        ];
      case 'FINISHED':
        return [{ ...base, ...withBasis, text: t.dossier.ledgerKinds.FINISHED(at) }];
    }
  });
  if (lines.length === 0) {
    return { summary: null, lines };
  }
  const reasons = lines.map((l) => l.text).join(', ');
  return {
    summary: view.dueAt
      ? t.dossier.ledgerSummary(formatDateTime(view.dueAt), reasons)
      : t.dossier.ledgerSummaryPaused(reasons),
    lines,
  };
}
