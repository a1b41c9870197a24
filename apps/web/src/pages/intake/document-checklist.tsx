import { Checkbox, Form, InputNumber, Table, Tag, Typography } from 'antd';
import { type Guidance, type ProcedureDetail, type ReusableFile } from '../../api/types';
import { formatDate } from '../../format';
import { t } from '../../i18n';

type CaseView = NonNullable<ProcedureDetail['version']>['definition']['cases'][number];
type Requirement = CaseView['documents'][number];

/**
 * The documents of the version in force: tick what was handed in; the guidance's missing items are marked here. A
 * paper the applicant's earlier dossier holds as a certified scan (`reusable`, newest first) is offered for reuse:
 * ticking "Dùng lại" counts the paper as handed in without asking for it again.
 */
export function DocumentChecklist({
  kase,
  guidance,
  reusable = [],
}: {
  kase: CaseView;
  guidance: Guidance | null;
  reusable?: ReusableFile[];
}) {
  const form = Form.useFormInstance();
  const missing = new Map((guidance?.items ?? []).map((item) => [item.code, item]));
  const offered = (code: string) => reusable.find((f) => f.kind === 'PAPER' && f.documentCode === code);
  return (
    <Table<Requirement>
      rowKey="code"
      pagination={false}
      size="small"
      dataSource={kase.documents}
      aria-label={t.intake.documentsSection}
      rowClassName={(d) => (missing.has(d.code) ? 'intake-missing-row' : '')}
      columns={[
        {
          title: t.intake.docColName,
          render: (_: unknown, d) => (
            <>
              <Form.Item name={['documents', d.code, 'handed']} valuePropName="checked" noStyle>
                <Checkbox>
                  {d.name} {d.mandatory ? <Tag color="red">{t.intake.mandatory}</Tag> : <Tag>{t.intake.optional}</Tag>}
                </Checkbox>
              </Form.Item>
              {offered(d.code) && (
                <div className="intake-reuse">
                  <Form.Item
                    name={['documents', d.code, 'reuseFileId']}
                    noStyle
                    valuePropName="checked"
                    getValueProps={(id: string | undefined) => ({ checked: Boolean(id) })}
                    normalize={(checked: boolean) => (checked ? offered(d.code)?.id : undefined)}
                  >
                    <Checkbox
                      onChange={(e) => {
                        if (e.target.checked) {
                          form.setFieldValue(['documents', d.code, 'handed'], true);
                        }
                      }}
                    >
                      {t.intake.reuse(d.name)}
                    </Checkbox>
                  </Form.Item>
                  <div className="muted" style={{ paddingLeft: 24 }}>
                    {t.intake.reuseFrom(
                      offered(d.code)!.fileName,
                      offered(d.code)!.dossierCode,
                      formatDate(offered(d.code)!.dossierReceivedAt),
                    )}
                  </div>
                </div>
              )}
              {missing.has(d.code) && (
                <div role="alert" style={{ marginTop: 4 }}>
                  <Typography.Text type="danger" strong>
                    {t.intake.missing}: {missing.get(d.code)?.reason}
                  </Typography.Text>
                </div>
              )}
            </>
          ),
        },
        { title: t.intake.docColForm, width: 200, render: (_: unknown, d) => t.intake.documentForms[d.form] ?? d.form },
        {
          title: t.intake.copies,
          width: 160,
          render: (_: unknown, d) => (
            <>
              <Form.Item name={['documents', d.code, 'count']} initialValue={d.count} noStyle>
                <InputNumber min={1} max={50} aria-label={t.intake.copiesOf(d.name)} style={{ width: 72 }} />
              </Form.Item>{' '}
              <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                ({t.intake.required(d.count)})
              </Typography.Text>
            </>
          ),
        },
      ]}
    />
  );
}
