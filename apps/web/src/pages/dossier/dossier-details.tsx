import { Card, Descriptions, Typography } from 'antd';
import { type DossierView } from '../../api/types';
import { t } from '../../i18n';

/** Applicant (masked as the API masks it), proxy, desk, channel and documents. */
export function DossierDetails({ dossier }: { dossier: DossierView }) {
  return (
    <Card style={{ marginBottom: 16 }}>
      <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }}>
        {t.dossier.summary}
      </Typography.Title>
      <Descriptions
        size="small"
        column={1}
        items={[
          {
            key: 'applicant',
            label: t.dossier.applicant,
            children: `${dossier.applicant.name} (${dossier.applicant.idNumber})`,
          },
          ...(dossier.proxy
            ? [{ key: 'proxy', label: t.dossier.proxy, children: `${dossier.proxy.name} (${dossier.proxy.idNumber})` }]
            : []),
          { key: 'desk', label: t.dossier.receivingUnit, children: dossier.receivingUnitName },
          { key: 'channel', label: t.dossier.channel, children: t.intake.channels[dossier.channel] ?? dossier.channel },
          {
            key: 'documents',
            label: t.dossier.documents,
            children: (
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {dossier.documents.map((d) => (
                  <li key={d.code}>
                    {d.name} ({t.intake.documentForms[d.form] ?? d.form}, {d.count})
                  </li>
                ))}
              </ul>
            ),
          },
        ]}
      />
    </Card>
  );
}
