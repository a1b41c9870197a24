import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Col, Form, Input, Radio, Row, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, newIdempotencyKey } from '../../api/client';
import { fetchMe, fetchProcedure, fetchProcedures, fetchReusableFiles, keys, receiveDossier } from '../../api/queries';
import { type DossierView, type Guidance, type IntakeRequest } from '../../api/types';
import { ProblemAlert } from '../../components/problem-alert';
import { t } from '../../i18n';
import { FilesPanel } from '../dossier/files-panel';
import { DocumentChecklist } from './document-checklist';
import { GuidancePanel } from './guidance-panel';
import {
  idNumberProblem,
  INITIAL_VALUES,
  type IntakeFormValues,
  PHONE_PATTERN,
  personalIdProblem,
  toIntakeRequest,
} from './intake-form-values';
import { PromisedTimePreview } from './promised-time-preview';
import { ReceiptView } from './receipt-view';

const CHANNELS = ['IN_PERSON', 'ONLINE', 'POSTAL'] as const;
const APPLICANT_TYPES = ['INDIVIDUAL', 'ORGANISATION'] as const;

/** "Tiếp nhận hồ sơ": the desk receives a dossier and hands over the receipt with the PIN. */
export default function IntakePage() {
  const [form] = Form.useForm<IntakeFormValues>();
  const [received, setReceived] = useState<DossierView | null>(null);
  const [guidance, setGuidance] = useState<Guidance | null>(null);
  // One key per intent: resending the very same request (after a network error) reuses it.
  const lastAttempt = useRef<{ body: string; key: string } | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const me = useQuery({ queryKey: keys.me, queryFn: fetchMe, staleTime: 5 * 60_000 });
  const procedures = useQuery({ queryKey: keys.procedures, queryFn: fetchProcedures, staleTime: 10 * 60_000 });
  const procedureCode = Form.useWatch('procedureCode', form);
  const caseCode = Form.useWatch('caseCode', form);
  const receivingUnitCode = Form.useWatch('receivingUnitCode', form);
  const applicantType = Form.useWatch(['applicant', 'type'], form) ?? 'INDIVIDUAL';
  const hasProxy = Form.useWatch('hasProxy', form) ?? false;
  const idNumber = (Form.useWatch(['applicant', 'idNumber'], form) ?? '').trim();
  const idComplete = idNumberProblem(applicantType, idNumber) === null;
  // The applicant's certified scans of earlier dossiers, once the ID is complete: offered per paper for reuse.
  const reusable = useQuery({
    queryKey: keys.reusableFiles(idNumber),
    queryFn: () => fetchReusableFiles(idNumber),
    enabled: idComplete && (me.data?.roles.includes('DESK_CLERK') ?? false),
    staleTime: 60_000,
  });
  const reusableFiles = useMemo(() => (idComplete ? (reusable.data?.items ?? []) : []), [idComplete, reusable.data]);
  const procedure = useQuery({
    queryKey: keys.procedure(procedureCode ?? ''),
    queryFn: () => fetchProcedure(procedureCode ?? ''),
    enabled: Boolean(procedureCode),
    staleTime: 10 * 60_000,
  });
  const cases = useMemo(() => procedure.data?.version?.definition.cases ?? [], [procedure.data]);
  const kase = cases.find((c) => c.code === caseCode) ?? (cases.length === 1 ? cases[0] : undefined);
  const units = useMemo(() => me.data?.units ?? [], [me.data]);

  // The desk's own unit receives; pick it when there is only one.
  useEffect(() => {
    if (!form.getFieldValue('receivingUnitCode') && units.length > 0) {
      form.setFieldValue('receivingUnitCode', units[0].code);
    }
  }, [form, units]);
  // A procedure with one case needs no choice.
  useEffect(() => {
    if (cases.length === 1 && form.getFieldValue('caseCode') !== cases[0].code) {
      form.setFieldValue('caseCode', cases[0].code);
    }
  }, [form, cases]);

  // A reuse ticked for another applicant's ID no longer applies: untick what the list no longer offers.
  useEffect(() => {
    const offered = new Set(reusableFiles.map((f) => f.id));
    const documents = form.getFieldValue('documents') as IntakeFormValues['documents'];
    Object.entries(documents ?? {}).forEach(([code, d]) => {
      if (d?.reuseFileId && !offered.has(d.reuseFileId)) {
        form.setFieldValue(['documents', code, 'reuseFileId'], undefined);
      }
    });
  }, [form, reusableFiles]);

  const receive = useMutation({
    mutationFn: ({ body, key }: { body: IntakeRequest; key: string }) => receiveDossier(body, key),
    onSuccess: (view) => {
      setGuidance(null);
      lastAttempt.current = null;
      setReceived(view);
      window.scrollTo({ top: 0 });
    },
    onError: (e) => {
      setGuidance(e instanceof ApiError ? e.guidance : null);
      if (e instanceof ApiError && e.status === 422) {
        // The request reached a verdict: the next submission is a new intent.
        lastAttempt.current = null;
      }
      headingRef.current?.focus();
    },
  });

  const submit = (values: IntakeFormValues) => {
    const body = toIntakeRequest(values);
    const text = JSON.stringify(body);
    const key = lastAttempt.current?.body === text ? lastAttempt.current.key : newIdempotencyKey();
    lastAttempt.current = { body: text, key };
    receive.mutate({ body, key });
  };

  const startOver = () => {
    setReceived(null);
    setGuidance(null);
    receive.reset();
    form.resetFields();
    if (units.length > 0) {
      form.setFieldValue('receivingUnitCode', units[0].code);
    }
  };

  return (
    <div className="page" style={{ maxWidth: 1100 }}>
      <title>{`${t.intake.title} — ${t.app.name}`}</title>
      <Typography.Title level={1} style={{ fontSize: 26 }} ref={headingRef} tabIndex={-1}>
        {t.intake.title}
      </Typography.Title>
      {received ? (
        <>
          <ReceiptView dossier={received} onNew={startOver} />
          <div style={{ marginTop: 16 }}>
            <FilesPanel dossier={received} hint={t.intake.scanHint} />
          </div>
        </>
      ) : (
        <>
          {guidance && <GuidancePanel guidance={guidance} />}
          {receive.error && !guidance && <ProblemAlert error={receive.error} />}
          <Form<IntakeFormValues>
            form={form}
            layout="vertical"
            initialValues={INITIAL_VALUES}
            onFinish={submit}
            scrollToFirstError={{ focus: true }}
          >
            <Card style={{ marginBottom: 16 }}>
              <Typography.Title level={2} style={{ fontSize: 20 }}>
                {t.intake.procedureSection}
              </Typography.Title>
              <Form.Item
                name="procedureCode"
                label={t.intake.procedure}
                rules={[{ required: true, message: t.intake.procedureRequired }]}
              >
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={t.intake.procedurePlaceholder}
                  loading={procedures.isPending}
                  onChange={() => {
                    form.setFieldsValue({ caseCode: undefined, documents: {} });
                    setGuidance(null);
                  }}
                  options={(procedures.data?.procedures ?? []).map((p) => ({
                    value: p.code,
                    label: `${p.code} — ${p.name}`,
                  }))}
                />
              </Form.Item>
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="caseCode"
                    label={t.intake.case}
                    rules={[{ required: cases.length > 1, message: t.intake.caseRequired }]}
                  >
                    <Select
                      disabled={cases.length <= 1}
                      options={cases.map((c) => ({ value: c.code, label: c.name }))}
                      onChange={() => setGuidance(null)}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name="receivingUnitCode" label={t.intake.receivingUnit} rules={[{ required: true }]}>
                    <Select options={units.map((u) => ({ value: u.code, label: u.name }))} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="channel" label={t.intake.channel}>
                <Radio.Group
                  aria-label={t.intake.channel}
                  options={CHANNELS.map((c) => ({ value: c, label: t.intake.channels[c] }))}
                />
              </Form.Item>
            </Card>

            <Card style={{ marginBottom: 16 }}>
              <Typography.Title level={2} style={{ fontSize: 20 }}>
                {t.intake.applicantSection}
              </Typography.Title>
              <Form.Item name={['applicant', 'type']} label={t.intake.applicantType}>
                <Radio.Group
                  aria-label={t.intake.applicantType}
                  options={APPLICANT_TYPES.map((c) => ({ value: c, label: t.intake.applicantTypes[c] }))}
                  onChange={() => {
                    if (form.getFieldValue(['applicant', 'idNumber'])) {
                      void form.validateFields([['applicant', 'idNumber']]);
                    }
                  }}
                />
              </Form.Item>
              <Row gutter={16}>
                <Col xs={24} md={10}>
                  <Form.Item
                    name={['applicant', 'idNumber']}
                    label={applicantType === 'ORGANISATION' ? t.intake.taxCode : t.intake.personalId}
                    extra={applicantType === 'ORGANISATION' ? t.intake.taxCodeRule : t.intake.personalIdRule}
                    dependencies={[['applicant', 'type']]}
                    required
                    rules={[
                      {
                        validator: (_, value: string | undefined) => {
                          const problem = idNumberProblem(applicantType, value?.trim());
                          return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
                        },
                      },
                    ]}
                  >
                    <Input inputMode={applicantType === 'ORGANISATION' ? 'text' : 'numeric'} autoComplete="off" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={14}>
                  <Form.Item
                    name={['applicant', 'name']}
                    label={t.intake.name}
                    rules={[{ required: true, whitespace: true, message: t.intake.nameRequired }]}
                  >
                    <Input autoComplete="off" />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name={['applicant', 'address']} label={t.intake.address}>
                <Input autoComplete="off" />
              </Form.Item>
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item
                    name={['applicant', 'phone']}
                    label={t.intake.phone}
                    rules={[{ pattern: PHONE_PATTERN, message: t.intake.phoneRule }]}
                  >
                    <Input inputMode="tel" autoComplete="off" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    name={['applicant', 'email']}
                    label={t.intake.email}
                    rules={[{ type: 'email', message: t.intake.emailRule }]}
                  >
                    <Input inputMode="email" autoComplete="off" />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="hasProxy" valuePropName="checked">
                <Checkbox>{t.intake.hasProxy}</Checkbox>
              </Form.Item>
              {hasProxy && (
                <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
                  <legend style={{ fontWeight: 600, fontSize: 16, marginBottom: 8 }}>{t.intake.proxySection}</legend>
                  <Row gutter={16}>
                    <Col xs={24} md={10}>
                      <Form.Item
                        name={['proxy', 'name']}
                        label={t.intake.proxyName}
                        rules={[{ required: true, whitespace: true, message: t.intake.proxyNameRequired }]}
                      >
                        <Input autoComplete="off" />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={7}>
                      <Form.Item
                        name={['proxy', 'idNumber']}
                        label={t.intake.proxyId}
                        required
                        rules={[
                          {
                            validator: (_, value: string | undefined) => {
                              const problem = personalIdProblem(value?.trim());
                              return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
                            },
                          },
                        ]}
                      >
                        <Input inputMode="numeric" autoComplete="off" />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={7}>
                      <Form.Item
                        name={['proxy', 'phone']}
                        label={t.intake.proxyPhone}
                        rules={[{ pattern: PHONE_PATTERN, message: t.intake.phoneRule }]}
                      >
                        <Input inputMode="tel" autoComplete="off" />
                      </Form.Item>
                    </Col>
                  </Row>
                </fieldset>
              )}
            </Card>

            <Card style={{ marginBottom: 16 }}>
              <Typography.Title level={2} style={{ fontSize: 20 }}>
                {t.intake.documentsSection}
              </Typography.Title>
              {kase ? (
                <>
                  <Typography.Paragraph type="secondary">{t.intake.documentsHint}</Typography.Paragraph>
                  {reusableFiles.some((f) => f.kind === 'PAPER') && (
                    <Alert
                      type="info"
                      showIcon
                      role="status"
                      style={{ marginBottom: 12 }}
                      title={t.intake.reuseOffered(reusableFiles.filter((f) => f.kind === 'PAPER').length)}
                    />
                  )}
                  <DocumentChecklist kase={kase} guidance={guidance} reusable={reusableFiles} />
                </>
              ) : (
                <Typography.Paragraph type="secondary">{t.intake.pickProcedureForDocuments}</Typography.Paragraph>
              )}
              {procedure.error && <ProblemAlert error={procedure.error} />}
            </Card>

            <Card style={{ marginBottom: 16 }}>
              <Typography.Title level={2} style={{ fontSize: 20 }}>
                {t.intake.promisedSection}
              </Typography.Title>
              <PromisedTimePreview
                procedureCode={procedureCode}
                receivingUnitCode={receivingUnitCode}
                caseCode={kase?.code}
              />
            </Card>

            <Space>
              <Button type="primary" htmlType="submit" size="large" loading={receive.isPending}>
                {t.intake.submit}
              </Button>
              <Button size="large" onClick={startOver}>
                {t.intake.reset}
              </Button>
            </Space>
          </Form>
        </>
      )}
    </div>
  );
}
