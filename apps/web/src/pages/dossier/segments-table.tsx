import { Card, Table, Typography } from 'antd';
import { type DossierView } from '../../api/types';
import { TimelinessMark } from '../../components/timeliness-mark';
import { formatBudget, formatDateTime } from '../../format';
import { t } from '../../i18n';

type Segment = NonNullable<DossierView['segments']>[number];

/** A connected procedure's agency segments: each agency's share of the work and of the deadline. */
export function SegmentsTable({ dossier }: { dossier: DossierView }) {
  if (!dossier.segments?.length) {
    return null;
  }
  return (
    <Card style={{ marginBottom: 16 }}>
      <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }} id="segments-title">
        {t.dossier.segments}
      </Typography.Title>
      <Table<Segment>
        aria-labelledby="segments-title"
        rowKey="code"
        size="small"
        pagination={false}
        scroll={{ x: 800 }}
        dataSource={dossier.segments}
        columns={[
          { title: t.dossier.segmentName, dataIndex: 'name' },
          { title: t.dossier.segmentAgency, dataIndex: 'agency' },
          { title: t.dossier.segmentBudget, render: (_: unknown, s) => formatBudget(s.budget) },
          { title: t.dossier.segmentHandedOver, render: (_: unknown, s) => formatDateTime(s.handedOverAt) },
          { title: t.dossier.segmentDue, render: (_: unknown, s) => formatDateTime(s.dueAt) },
          { title: t.dossier.segmentCompleted, render: (_: unknown, s) => formatDateTime(s.completedAt) },
          {
            title: t.dossier.segmentResult,
            render: (_: unknown, s) => (
              <>
                <TimelinessMark result={s.result} />
                {s.breached && <div>{t.dossier.segmentBreached}</div>}
              </>
            ),
          },
        ]}
      />
    </Card>
  );
}
