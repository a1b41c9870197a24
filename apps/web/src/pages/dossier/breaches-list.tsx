import { Card, Typography } from 'antd';
import { type DossierView } from '../../api/types';
import { formatDateTime } from '../../format';
import { t } from '../../i18n';

/** Who the late time is attributed to. */
export function BreachesList({ dossier }: { dossier: DossierView }) {
  if (dossier.breaches.length === 0) {
    return null;
  }
  return (
    <Card style={{ marginBottom: 16 }}>
      <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }}>
        {t.dossier.breaches}
      </Typography.Title>
      <ul style={{ margin: 0, paddingLeft: 18 }}>
        {dossier.breaches.map((b, i) => (
          <li key={i}>
            {t.dossier.breachText(
              t.dossier.breachKinds[b.kind] ?? b.kind,
              b.unitCode,
              b.officer?.fullName ?? '',
              formatDateTime(b.dueAt),
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}
