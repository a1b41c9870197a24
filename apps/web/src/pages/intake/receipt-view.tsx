import { Alert, Button, Card, Descriptions, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { openPdf, type PdfSource } from '../../api/queries';
import { type DossierView } from '../../api/types';
import { ProblemAlert } from '../../components/problem-alert';
import { formatDateTime } from '../../format';
import { t } from '../../i18n';

/** After a 201: the receipt (form 01) with the dossier code and the citizen's PIN (shown this once), printable as PDF. */
export function ReceiptView({
  dossier,
  onNew,
  newLabel = t.intake.newIntake,
}: {
  dossier: DossierView;
  onNew: () => void;
  /** What the button that leaves the receipt says (intake: a new intake). */
  newLabel?: string;
}) {
  const navigate = useNavigate();
  const [printError, setPrintError] = useState<unknown>(null);
  const receipt = dossier.receipt;
  const print = () => {
    setPrintError(null);
    // The PIN is in this answer only (the server keeps its hash): the printed receipt carries it from here.
    const source: PdfSource = dossier.lookupPin
      ? { kind: 'receipt-with-pin', code: dossier.code, pin: dossier.lookupPin }
      : { kind: 'form', code: dossier.code, form: 'receipt' };
    openPdf(source).catch(setPrintError);
  };
  return (
    <Card>
      <Alert type="success" showIcon role="status" title={t.intake.receiptTitle} style={{ marginBottom: 16 }} />
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        {receipt?.title ?? t.intake.receiptSubtitle}
      </Typography.Title>
      <Descriptions
        bordered
        column={1}
        size="middle"
        items={[
          {
            key: 'code',
            label: t.intake.dossierCode,
            children: (
              <strong style={{ fontSize: 18 }} data-testid="receipt-code">
                {dossier.code}
              </strong>
            ),
          },
          {
            key: 'pin',
            label: t.intake.pin,
            children: (
              <strong style={{ fontSize: 18, letterSpacing: 2 }} data-testid="receipt-pin">
                {dossier.lookupPin ?? ''}
              </strong>
            ),
          },
          { key: 'return', label: t.intake.returnAt, children: formatDateTime(dossier.promisedAt) },
          ...(receipt?.print.fields ?? [])
            .filter(([label, value]) => label !== undefined && value !== dossier.code && value !== dossier.lookupPin)
            .map(([label, value], i) => ({ key: `f${i}`, label, children: value ?? '' })),
        ]}
      />
      {receipt?.print.table && (
        <Table<string[]>
          style={{ marginTop: 16 }}
          aria-label={t.intake.receiptDocuments}
          size="small"
          pagination={false}
          rowKey={(row) => row.join('|')}
          dataSource={receipt.print.table.rows}
          columns={receipt.print.table.columns.map((title, i) => ({ title, render: (_: unknown, row) => row[i] }))}
        />
      )}
      {printError !== null && <ProblemAlert error={printError} />}
      <Space wrap style={{ marginTop: 16 }} className="no-print">
        <Button type="primary" onClick={print}>
          {t.intake.printReceipt}
        </Button>
        <Button onClick={() => void navigate(`/ho-so/${encodeURIComponent(dossier.code)}`)}>
          {t.intake.openDossier}
        </Button>
        <Button onClick={onNew}>{newLabel}</Button>
      </Space>
    </Card>
  );
}
