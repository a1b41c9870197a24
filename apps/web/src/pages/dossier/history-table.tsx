import { Card, Table, Typography } from 'antd';
import { type DossierView, type HistoryEvent } from '../../api/types';
import { formatDateTime } from '../../format';
import { t } from '../../i18n';

/** Every stored transition, newest last, with who did it. */
export function HistoryTable({ dossier }: { dossier: DossierView }) {
  return (
    <Card style={{ marginBottom: 16 }}>
      <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }} id="history-title">
        {t.dossier.history}
      </Typography.Title>
      <Table<HistoryEvent>
        aria-labelledby="history-title"
        rowKey="seq"
        size="small"
        pagination={false}
        scroll={{ x: 640 }}
        dataSource={dossier.history}
        columns={[
          { title: t.dossier.historyTime, width: 150, render: (_: unknown, e) => formatDateTime(e.occurredAt) },
          { title: t.dossier.historyEvent, render: (_: unknown, e) => t.dossier.events[e.type] ?? e.type },
          { title: t.dossier.historyActor, render: (_: unknown, e) => e.actorName ?? t.dossier.system },
          {
            title: t.dossier.historyStatus,
            render: (_: unknown, e) =>
              t.dossier.nationalStatusValue(e.nationalStatus, t.nationalStatuses[e.nationalStatus] ?? ''),
          },
        ]}
      />
    </Card>
  );
}
