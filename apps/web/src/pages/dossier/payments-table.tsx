import { useQuery } from '@tanstack/react-query';
import { Card, Table, Tag, Typography } from 'antd';
import { fetchDossierPayments, keys } from '../../api/queries';
import { type DossierView, type PaymentReceipt } from '../../api/types';
import { ProblemAlert } from '../../components/problem-alert';
import { formatDateTime, formatNumber } from '../../format';
import { t } from '../../i18n';
import { refundsDue } from './payment-words';

/** The dossier's fees: each one's state, and for a paid one how (online through the gateway, or at the desk). */
export function PaymentsTable({ dossier }: { dossier: DossierView }) {
  const payments = useQuery({
    // Read again whenever the dossier has a new event (a payment recorded, a fee asked for).
    queryKey: [...keys.dossierPayments(dossier.code), dossier.history.length],
    queryFn: () => fetchDossierPayments(dossier.code),
  });
  if (payments.isPending || (payments.data?.length === 0 && dossier.state !== 'AWAITING_PAYMENT')) {
    return null;
  }
  return (
    <Card style={{ marginBottom: 16 }}>
      <section aria-labelledby="payments-title">
        <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }} id="payments-title">
          {t.dossier.payments}
        </Typography.Title>
        {payments.error !== null && <ProblemAlert error={payments.error} />}
        <Table<PaymentReceipt>
          aria-labelledby="payments-title"
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: 640 }}
          dataSource={payments.data ?? []}
          columns={[
            { title: t.dossier.paymentFee, dataIndex: 'fee' },
            { title: t.dossier.paymentAmount, render: (_: unknown, p) => t.dossier.dong(formatNumber(p.amount)) },
            {
              title: t.dossier.paymentState,
              render: (_: unknown, p) => {
                const refunds = refundsDue(p);
                // Status colours: the theme darkens them so their text stays readable (the palette's gold does not).
                return (
                  <>
                    <Tag color={p.state === 'PAID' ? 'success' : p.state === 'CANCELLED' ? 'default' : 'warning'}>
                      {t.dossier.paymentStates[p.state] ?? p.state}
                    </Tag>
                    {refunds.length > 0 && (
                      // Money the gateway took that the desk must give back (the fee was paid already, or cancelled).
                      <Tag color="error" title={t.dossier.paymentRefundDueTitle(refunds.join(', '))}>
                        {t.dossier.paymentRefundDue}
                        {refunds.length > 1 ? ` (${refunds.length})` : ''}
                      </Tag>
                    )}
                  </>
                );
              },
            },
            {
              title: t.dossier.paymentChannel,
              render: (_: unknown, p) =>
                p.channel
                  ? `${t.dossier.paymentChannels[p.channel] ?? p.channel}${
                      p.channel === 'DESK' && p.method ? ` (${t.dossier.paymentMethods[p.method] ?? p.method})` : ''
                    }`
                  : '',
            },
            {
              title: t.dossier.paymentTimes,
              render: (_: unknown, p) => (
                <>
                  <div className="nowrap">{t.dossier.paymentRequestedAt(formatDateTime(p.requestedAt))}</div>
                  {p.paidAt && <div className="nowrap">{t.dossier.paymentPaidAtTime(formatDateTime(p.paidAt))}</div>}
                </>
              ),
            },
            {
              title: t.dossier.paymentRefs,
              // The receipt's number (the desk's own, or the gateway's transaction number), then what the clerk
              // typed with a desk payment, or the paying attempt's TxnRef.
              render: (_: unknown, p) => (
                <div style={{ fontFamily: 'monospace', fontSize: 12, overflowWrap: 'anywhere', minWidth: 120 }}>
                  {[p.reference, p.payerReference, p.txnRef].filter(Boolean).join(' · ')}
                </div>
              ),
            },
          ]}
        />
      </section>
    </Card>
  );
}
