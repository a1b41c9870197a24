import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { fetchDossierPayments, fetchDue, fetchOfficers, keys } from '../../api/queries';
import { type ActionName, type DossierView } from '../../api/types';
import { ProblemAlert } from '../../components/problem-alert';
import { formatDateTime, formatNumber } from '../../format';
import { t } from '../../i18n';
import { openFee } from './payment-words';

/** Officers of a unit and role, for assigning a step. */
function OfficerSelect({
  name,
  label,
  unit,
  role,
  required,
}: {
  name: string;
  label: string;
  unit: string;
  role: string;
  required: boolean;
}) {
  const officers = useQuery({
    queryKey: keys.officers(unit, role),
    queryFn: () => fetchOfficers(unit, role),
    enabled: Boolean(unit && role),
  });
  return (
    <>
      {officers.error && <ProblemAlert error={officers.error} />}
      <Form.Item name={name} label={label} rules={[{ required, message: t.actions.assigneeRequired }]}>
        <Select
          allowClear={!required}
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t.actions.assigneePlaceholder}
          loading={officers.isPending}
          options={(officers.data?.items ?? []).map((o) => ({
            value: o.username,
            label: `${o.fullName} (${o.username})`,
          }))}
        />
      </Form.Item>
    </>
  );
}

function TextList({
  name,
  itemLabel,
  addLabel,
  removeLabel,
  requiredMessage,
}: {
  name: string;
  itemLabel: (n: number) => string;
  addLabel: string;
  removeLabel: (n: number) => string;
  requiredMessage: string;
}) {
  return (
    <Form.List name={name} initialValue={['']}>
      {(fields, { add, remove }) => (
        <>
          {fields.map((field, i) => (
            <Space key={field.key} align="baseline" style={{ display: 'flex' }}>
              <Form.Item
                name={field.name}
                label={itemLabel(i + 1)}
                rules={[{ required: true, whitespace: true, message: requiredMessage }]}
                style={{ flex: 1, minWidth: 360 }}
              >
                <Input />
              </Form.Item>
              {fields.length > 1 && (
                <Button
                  type="text"
                  icon={<MinusCircleOutlined aria-hidden />}
                  aria-label={removeLabel(i + 1)}
                  onClick={() => remove(field.name)}
                />
              )}
            </Space>
          ))}
          <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add('')}>
            {addLabel}
          </Button>
        </>
      )}
    </Form.List>
  );
}

const reasonField = (
  <Form.Item
    name="reason"
    label={t.actions.reason}
    rules={[{ required: true, whitespace: true, message: t.actions.reasonRequired }]}
  >
    <Input.TextArea rows={3} maxLength={2000} />
  </Form.Item>
);

const noteField = (
  <Form.Item name="note" label={t.actions.note}>
    <Input.TextArea rows={3} maxLength={2000} />
  </Form.Item>
);

const money = {
  formatter: (value: number | string | undefined) =>
    value === undefined || value === '' ? '' : formatNumber(Number(value), 0),
  parser: (text: string | undefined) => Number((text ?? '').replace(/\./g, '').replace(/\s/g, '')),
};

function AmountField() {
  return (
    <Form.Item name="amount" label={t.actions.amount} rules={[{ required: true, message: t.actions.amountRequired }]}>
      <InputNumber<number> min={1} step={1000} style={{ width: 220 }} {...money} />
    </Form.Item>
  );
}

/**
 * The fee the desk's payment settles (the oldest still to pay), named above the amount, which it fills in: the desk
 * takes exactly the fee owed (the API refuses any other amount, naming `amount`).
 */
function OpenFee({ dossier }: { dossier: DossierView }) {
  const form = Form.useFormInstance();
  const payments = useQuery({
    // The payments table's query: one read for both.
    queryKey: [...keys.dossierPayments(dossier.code), dossier.history.length],
    queryFn: () => fetchDossierPayments(dossier.code),
  });
  const fee = payments.data ? openFee(payments.data) : null;
  useEffect(() => {
    if (fee && form.getFieldValue('amount') === undefined) {
      form.setFieldValue('amount', fee.amount);
    }
  }, [fee, form]);
  if (payments.error) {
    return <ProblemAlert error={payments.error} />;
  }
  if (!payments.data) {
    return null;
  }
  return fee ? (
    <Alert
      type="info"
      showIcon
      data-testid="open-fee"
      style={{ marginBottom: 16 }}
      title={
        <>
          {t.actions.openFee}: <strong>{t.actions.openFeeText(fee.fee, formatNumber(fee.amount, 0))}</strong>
        </>
      }
      description={t.actions.openFeeRule}
    />
  ) : (
    <Alert type="warning" showIcon data-testid="open-fee" style={{ marginBottom: 16 }} title={t.actions.noOpenFee} />
  );
}

/** The new return time an extension would give: N working days after the current one, in the desk's calendar. */
function ExtensionPreview({ dossier }: { dossier: DossierView }) {
  const form = Form.useFormInstance();
  const days = Form.useWatch<number | undefined>('extraWorkingDays', form);
  const from = dossier.dueAt;
  const valid = typeof days === 'number' && days >= 0.25 && Boolean(from);
  const due = useQuery({
    queryKey: keys.due(from ?? '', days ?? 0, dossier.receivingUnitCode),
    queryFn: () => fetchDue(from ?? '', days ?? 0, dossier.receivingUnitCode),
    enabled: valid,
  });
  if (!valid || !due.data) {
    return null;
  }
  return (
    <Typography.Paragraph aria-live="polite">
      {t.actions.newDueAt}: <strong>{formatDateTime(due.data.due)}</strong>
    </Typography.Paragraph>
  );
}

/** The inputs an action needs; the server decides whether it may be taken. */
export function ActionFields({ action, dossier }: { action: ActionName; dossier: DossierView }) {
  const current = dossier.steps.find((s) => s.no === dossier.currentStep?.no && !s.completedAt);
  const form = Form.useFormInstance();
  const nextStep = Form.useWatch<string | undefined>('nextStep', form);
  switch (action) {
    case 'claim':
      return null;
    case 'assign':
      return (
        <OfficerSelect
          name="assignee"
          label={t.actions.assignee}
          unit={current?.unitCode ?? dossier.currentStep?.unitCode ?? ''}
          role={current?.role ?? ''}
          required
        />
      );
    case 'complete': {
      const chosen =
        dossier.nextSteps.length === 1 ? dossier.nextSteps[0] : dossier.nextSteps.find((s) => s.code === nextStep);
      return (
        <>
          {dossier.nextSteps.length > 1 && (
            <Form.Item
              name="nextStep"
              label={t.actions.nextStep}
              rules={[{ required: true, message: t.actions.nextStepRequired }]}
            >
              <Radio.Group
                aria-label={t.actions.nextStep}
                options={dossier.nextSteps.map((s) => ({
                  value: s.code,
                  label: t.actions.nextStepOption(s.name, s.unitCode),
                }))}
              />
            </Form.Item>
          )}
          {chosen && (
            <OfficerSelect
              key={chosen.code}
              name="assignee"
              label={t.actions.assigneeOptional}
              unit={chosen.unitCode}
              role={chosen.role}
              required={false}
            />
          )}
          {noteField}
        </>
      );
    }
    case 'return':
      return (
        <>
          <Form.Item
            name="toStep"
            label={t.actions.toStep}
            rules={[{ required: true, message: t.actions.toStepRequired }]}
          >
            <Select options={dossier.returnTargets.map((s) => ({ value: s.code, label: `${s.code} — ${s.name}` }))} />
          </Form.Item>
          {reasonField}
        </>
      );
    case 'request-supplement':
      return (
        <>
          <TextList
            name="items"
            itemLabel={t.actions.item}
            addLabel={t.actions.addItem}
            removeLabel={t.actions.removeItem}
            requiredMessage={t.actions.itemRequired}
          />
          <div style={{ height: 16 }} />
          {reasonField}
        </>
      );
    case 'submit-supplement':
      return noteField;
    case 'refuse':
      return (
        <TextList
          name="reasons"
          itemLabel={t.actions.reasonN}
          addLabel={t.actions.addReason}
          removeLabel={t.actions.removeReason}
          requiredMessage={t.actions.reasonRequired}
        />
      );
    case 'request-extension':
      return (
        <>
          <Form.Item
            name="extraWorkingDays"
            label={t.actions.extraWorkingDays}
            extra={t.actions.extraWorkingDaysRule}
            rules={[{ required: true, message: t.actions.extraWorkingDaysRule }]}
          >
            <InputNumber<number> min={0.25} max={365} step={0.25} decimalSeparator="," style={{ width: 160 }} />
          </Form.Item>
          <ExtensionPreview dossier={dossier} />
          {reasonField}
        </>
      );
    case 'withdraw':
      return reasonField;
    case 'request-payment':
      return (
        <>
          <AmountField />
          {reasonField}
        </>
      );
    case 'record-payment':
      return (
        <>
          <OpenFee dossier={dossier} />
          <AmountField />
          <Form.Item name="method" label={t.actions.method} initialValue="CASH" rules={[{ required: true }]}>
            <Radio.Group
              aria-label={t.actions.method}
              options={['CASH', 'BANK_TRANSFER', 'ONLINE'].map((m) => ({ value: m, label: t.actions.methods[m] }))}
            />
          </Form.Item>
          <Form.Item name="reference" label={t.actions.reference}>
            <Input maxLength={100} />
          </Form.Item>
        </>
      );
    case 'return-result':
      return (
        <>
          <Form.Item
            name="deliveryMethod"
            label={t.actions.deliveryMethod}
            initialValue="IN_PERSON"
            rules={[{ required: true }]}
          >
            <Radio.Group
              aria-label={t.actions.deliveryMethod}
              options={['IN_PERSON', 'POSTAL', 'ELECTRONIC'].map((m) => ({
                value: m,
                label: t.actions.deliveryMethods[m],
              }))}
            />
          </Form.Item>
          {noteField}
        </>
      );
  }
}
