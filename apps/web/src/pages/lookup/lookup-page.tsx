import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, Typography } from 'antd';
import { ApiError } from '../../api/client';
import { lookupPublic } from '../../api/queries';
import { ProblemAlert } from '../../components/problem-alert';
import { formatDateTime, formatWait } from '../../format';
import { t } from '../../i18n';

interface LookupValues {
  code: string;
  pin: string;
}

/**
 * The refusal in the citizen's words: one message for an unknown code and a wrong PIN alike, the desk to see when
 * the lookup locked after wrong PINs (409), the wait on a 429.
 */
function LookupError({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.status === 404) {
    return <Alert type="error" showIcon role="alert" title={t.lookup.notFound} style={{ marginBottom: 16 }} />;
  }
  if (error instanceof ApiError && error.status === 409) {
    return <Alert type="error" showIcon role="alert" title={t.lookup.locked} style={{ marginBottom: 16 }} />;
  }
  if (error instanceof ApiError && error.status === 429) {
    const text = error.retryAfter ? t.lookup.tooMany(formatWait(error.retryAfter)) : t.lookup.tooManyNoWait;
    return <Alert type="warning" showIcon role="alert" title={text} style={{ marginBottom: 16 }} />;
  }
  return <ProblemAlert error={error} />;
}

/** "Tra cứu hồ sơ": public, code + PIN → where the dossier stands; nothing personal is shown. */
export default function LookupPage() {
  const lookup = useMutation({ mutationFn: (v: LookupValues) => lookupPublic(v.code.trim(), v.pin.trim()) });
  const status = lookup.data;
  return (
    <main className="lookup-page">
      <title>{`${t.lookup.title} — ${t.app.name}`}</title>
      <Typography.Text strong style={{ color: '#0b3b8c' }}>
        {t.app.name}
      </Typography.Text>
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 4 }}>
        {t.lookup.title}
      </Typography.Title>
      <Typography.Paragraph>{t.lookup.intro}</Typography.Paragraph>
      <Card style={{ marginBottom: 16 }}>
        <Form<LookupValues> layout="vertical" onFinish={(v) => lookup.mutate(v)} requiredMark={false}>
          <Form.Item
            name="code"
            label={t.lookup.code}
            rules={[{ required: true, whitespace: true, message: t.lookup.codeRequired }]}
          >
            <Input placeholder={t.lookup.codePlaceholder} autoComplete="off" autoCapitalize="characters" />
          </Form.Item>
          <Form.Item
            name="pin"
            label={t.lookup.pin}
            rules={[{ required: true, pattern: /^\d{6}$/, message: t.lookup.pinRule }]}
          >
            <Input inputMode="numeric" maxLength={6} autoComplete="off" style={{ maxWidth: 200 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={lookup.isPending} block>
            {t.lookup.submit}
          </Button>
        </Form>
      </Card>
      {lookup.error && <LookupError error={lookup.error} />}
      {status && (
        <Card>
          <section aria-labelledby="lookup-result" aria-live="polite">
            <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }} id="lookup-result">
              {t.lookup.resultTitle}
            </Typography.Title>
            <Typography.Paragraph strong style={{ fontSize: 16 }}>
              {status.statusMessage}
            </Typography.Paragraph>
            <Descriptions
              column={1}
              size="small"
              layout="vertical"
              bordered
              items={[
                { key: 'code', label: t.lookup.code, children: status.code },
                { key: 'procedure', label: t.lookup.procedure, children: status.procedure.name },
                { key: 'unit', label: t.lookup.receivingUnit, children: status.receivingUnitName },
                { key: 'received', label: t.lookup.receivedAt, children: formatDateTime(status.receivedAt) },
                { key: 'state', label: t.lookup.state, children: status.nationalStatusLabel },
                {
                  key: 'promised',
                  label: t.lookup.promisedAt,
                  children: formatDateTime(status.promisedAt) || t.app.dash,
                },
                { key: 'due', label: t.lookup.dueAt, children: formatDateTime(status.dueAt) || t.app.dash },
                ...(status.resultReturnedAt
                  ? [
                      {
                        key: 'returned',
                        label: t.lookup.resultReturnedAt,
                        children: formatDateTime(status.resultReturnedAt),
                      },
                    ]
                  : []),
              ]}
            />
            {status.extended && <Alert type="info" showIcon title={t.lookup.extended} style={{ marginTop: 12 }} />}
          </section>
        </Card>
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 13 }}>
        {t.lookup.privacy}
      </Typography.Paragraph>
    </main>
  );
}
