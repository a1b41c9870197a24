import { Card, Descriptions, Tag, Typography } from 'antd';
import { type DossierView } from '../../api/types';
import { TimelinessMark } from '../../components/timeliness-mark';
import { formatDateTime } from '../../format';
import { t } from '../../i18n';
import { RemainingBar } from './remaining-bar';

/** Code, procedure, state and national status, due time and the remaining working time as a bar. */
export function DossierHeader({ dossier }: { dossier: DossierView }) {
  const step = dossier.currentStep;
  return (
    <Card style={{ marginBottom: 16 }}>
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 0 }}>
        {t.dossier.titlePrefix} {dossier.code}
      </Typography.Title>
      <Typography.Paragraph style={{ fontSize: 16 }}>
        {dossier.procedure.name} <Typography.Text type="secondary">({dossier.procedureCode})</Typography.Text>
      </Typography.Paragraph>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2, xl: 3 }}
        items={[
          {
            key: 'state',
            label: t.dossier.state,
            children: <Tag color="blue">{dossier.stateLabel}</Tag>,
          },
          {
            key: 'national',
            label: t.dossier.nationalStatus,
            children: t.dossier.nationalStatusValue(dossier.nationalStatus, dossier.nationalStatusLabel),
          },
          { key: 'due', label: t.dossier.dueAt, children: formatDateTime(dossier.dueAt) || t.app.dash },
          { key: 'received', label: t.dossier.receivedAt, children: formatDateTime(dossier.receivedAt) },
          { key: 'promised', label: t.dossier.promisedAt, children: formatDateTime(dossier.promisedAt) || t.app.dash },
          {
            key: 'step',
            label: t.dossier.currentStep,
            children: step ? `${step.name} — ${step.unitName}` : t.app.dash,
          },
          {
            key: 'holder',
            label: t.dossier.holder,
            children: step ? (step.holder?.fullName ?? t.dossier.noHolder) : t.app.dash,
          },
          ...(dossier.timeliness
            ? [
                {
                  key: 'timeliness',
                  label: t.dossier.timeliness,
                  children: <TimelinessMark result={dossier.timeliness} />,
                },
              ]
            : []),
          ...(dossier.pausedSince
            ? [
                {
                  key: 'paused',
                  label: t.bands.PAUSED,
                  children: t.dossier.pausedSince(
                    formatDateTime(dossier.pausedSince),
                    t.dossier.pauseReasons[dossier.pauseReason ?? ''] ?? '',
                  ),
                },
              ]
            : []),
        ]}
      />
      <div style={{ marginTop: 12 }}>
        <Typography.Text strong>{t.dossier.remaining}</Typography.Text>
        <RemainingBar dossier={dossier} />
      </div>
      <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>
        <Typography.Text type="secondary">{t.dossier.statusMessage}: </Typography.Text>
        {dossier.statusMessage}
      </Typography.Paragraph>
    </Card>
  );
}
