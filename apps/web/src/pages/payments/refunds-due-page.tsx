import { useQuery } from '@tanstack/react-query';
import { Alert } from 'antd';
import { Link } from 'react-router';
import { fetchMe, fetchRefundsDue, keys } from '../../api/queries';
import { NotAllowedPage } from '../../components/not-allowed-page';
import { PageLoading } from '../../components/page-loading';
import { ProblemAlert } from '../../components/problem-alert';
import { formatDateTime, formatNumber } from '../../format';
import { t } from '../../i18n';
import { REFUND_ROLES, refundReason } from './refund-words';

/**
 * "Khoản tiền cần hoàn trả": the payments the gateway took that are due back to citizens (the fee was paid already,
 * or cancelled when the dossier finished), of the dossiers received in the officer's units, oldest first. Read only:
 * the API records no refund as done.
 */
export default function RefundsDuePage() {
  const me = useQuery({ queryKey: keys.me, queryFn: fetchMe, staleTime: 5 * 60_000 });
  const allowed = (me.data?.roles ?? []).some((r) => REFUND_ROLES.includes(r));
  const refunds = useQuery({ queryKey: keys.refundsDue, queryFn: fetchRefundsDue, enabled: allowed });

  if (me.isPending) {
    return <PageLoading />;
  }
  if (!allowed) {
    return <NotAllowedPage title={t.refunds.title} reason={t.refunds.notAllowed} />;
  }
  const items = refunds.data ?? [];
  const title = refunds.data ? t.refunds.titleCount(items.length) : t.refunds.title;
  return (
    <div className="page">
      <title>{`${title} — ${t.app.name}`}</title>
      <h1 className="page-title">{title}</h1>
      <p className="muted">{t.refunds.hint}</p>
      {items.length > 0 && <Alert type="info" showIcon title={t.refunds.noMarkDone} style={{ marginBottom: 16 }} />}
      {refunds.error && <ProblemAlert error={refunds.error} />}
      {refunds.isPending ? (
        <PageLoading />
      ) : (
        <div className="table-scroll">
          <table className="data-table" aria-busy={refunds.isFetching}>
            <caption className="visually-hidden">{t.refunds.tableCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.refunds.colDossier}</th>
                <th scope="col">{t.refunds.colApplicant}</th>
                <th scope="col">{t.refunds.colFee}</th>
                <th scope="col">{t.refunds.colAmount}</th>
                <th scope="col">{t.refunds.colChannel}</th>
                <th scope="col">{t.refunds.colReference}</th>
                <th scope="col">{t.refunds.colPaidAt}</th>
                <th scope="col">{t.refunds.colReason}</th>
              </tr>
            </thead>
            <tbody>
              {items.length === 0 && (
                <tr>
                  <td colSpan={8} className="data-table-empty">
                    {t.refunds.empty}
                  </td>
                </tr>
              )}
              {items.map((r) => (
                <tr key={r.txnRef} data-testid="refund-row">
                  <th scope="row">
                    <Link to={`/ho-so/${encodeURIComponent(r.dossierCode)}`}>{r.dossierCode}</Link>
                    <div className="muted">{r.unitCode}</div>
                  </th>
                  <td>{r.applicantName}</td>
                  <td>{r.fee}</td>
                  <td className="nowrap">{t.dossier.dong(formatNumber(r.amount))}</td>
                  <td>{t.refunds.channel}</td>
                  <td style={{ minWidth: 180 }}>
                    {r.transactionNo && (
                      <div>
                        {t.refunds.transactionNo} <span className="refund-ref">{r.transactionNo}</span>
                      </div>
                    )}
                    <div className="muted">
                      {t.refunds.txnRef} <span className="refund-ref">{r.txnRef}</span>
                    </div>
                  </td>
                  <td className="nowrap">{r.notifiedAt ? formatDateTime(r.notifiedAt) : t.app.dash}</td>
                  <td>{t.refunds.reasons[refundReason(r)]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
