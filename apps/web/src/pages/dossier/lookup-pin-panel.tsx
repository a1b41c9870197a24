import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Popconfirm, Space, Typography } from 'antd';
import { useState } from 'react';
import { keys, openPdf, reissueLookupPin } from '../../api/queries';
import { type DossierView } from '../../api/types';
import { ProblemAlert } from '../../components/problem-alert';
import { t } from '../../i18n';

/**
 * The citizen's lookup, for the desk of the receiving unit (the API sends `lookupLocked` to them only): whether it
 * locked after wrong PINs, and a new PIN, shown once, with the receipt to print it on.
 */
export function LookupPinPanel({ dossier }: { dossier: DossierView }) {
  const queryClient = useQueryClient();
  const [printError, setPrintError] = useState<unknown>(null);
  const reissue = useMutation({
    mutationFn: () => reissueLookupPin(dossier.code),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.dossier(dossier.code) }),
  });
  if (dossier.lookupLocked === null || dossier.lookupLocked === undefined) {
    return null;
  }
  const issued = reissue.data;
  const print = (pin: string) => {
    setPrintError(null);
    openPdf({ kind: 'receipt-with-pin', code: dossier.code, pin }).catch(setPrintError);
  };
  return (
    <Card style={{ marginBottom: 16 }}>
      <section aria-labelledby="lookup-pin-title">
        <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }} id="lookup-pin-title">
          {t.dossier.lookupTitle}
        </Typography.Title>
        {dossier.lookupLocked && !issued ? (
          <Alert type="warning" showIcon role="status" title={t.dossier.lookupLocked} style={{ marginBottom: 12 }} />
        ) : (
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
            {t.dossier.lookupOpen}
          </Typography.Paragraph>
        )}
        {reissue.error !== null && <ProblemAlert error={reissue.error} />}
        {issued && (
          <Alert
            type="success"
            showIcon
            role="status"
            style={{ marginBottom: 12 }}
            title={
              <span>
                {t.dossier.newPin}:{' '}
                <strong style={{ fontSize: 18, letterSpacing: 2 }} data-testid="new-pin">
                  {issued.pin}
                </strong>
              </span>
            }
            description={t.dossier.newPinNote}
          />
        )}
        {printError !== null && <ProblemAlert error={printError} />}
        <Space orientation="vertical" style={{ width: '100%' }}>
          {issued && (
            <Button type="primary" block onClick={() => print(issued.pin)}>
              {t.dossier.printWithNewPin}
            </Button>
          )}
          <Popconfirm
            title={t.dossier.reissueConfirm}
            okText={t.dossier.reissueOk}
            cancelText={t.dossier.reissueCancel}
            onConfirm={() => reissue.mutate()}
          >
            <Button block loading={reissue.isPending}>
              {t.dossier.reissuePin}
            </Button>
          </Popconfirm>
        </Space>
      </section>
    </Card>
  );
}
