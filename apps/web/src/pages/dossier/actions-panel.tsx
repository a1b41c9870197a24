import { Button, Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { type ActionName, type DossierView } from '../../api/types';
import { ProblemAlert } from '../../components/problem-alert';
import { t } from '../../i18n';
import { ActionModal } from './action-modal';

/** One button per action the server says the caller may take now; nothing else is offered. */
export function ActionsPanel({ dossier }: { dossier: DossierView }) {
  const [active, setActive] = useState<ActionName | null>(null);
  const [refusal, setRefusal] = useState<{ error: unknown; action: ActionName } | null>(null);
  const [done, setDone] = useState<ActionName | null>(null);
  const allowed = dossier.allowedActions;
  return (
    <Card style={{ marginBottom: 16 }}>
      <section aria-labelledby="actions-title">
        <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }} id="actions-title">
          {t.actions.panel}
        </Typography.Title>
        <div role="status" aria-live="polite">
          {done && <p className="notice-success">{t.actions.done(t.actions.labels[done] ?? done)}</p>}
        </div>
        {refusal && (
          <ProblemAlert
            error={refusal.error}
            title={`${t.actions.refusedTitle} (${t.actions.labels[refusal.action] ?? refusal.action})`}
          />
        )}
        {allowed.length === 0 ? (
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {t.actions.none}
          </Typography.Paragraph>
        ) : (
          <Space wrap>
            {allowed.map((action, i) => (
              <Button
                key={action}
                type={i === 0 ? 'primary' : 'default'}
                danger={action === 'refuse' || action === 'withdraw'}
                onClick={() => {
                  setRefusal(null);
                  setDone(null);
                  setActive(action);
                }}
              >
                {t.actions.labels[action] ?? action}
              </Button>
            ))}
          </Space>
        )}
      </section>
      {active && (
        <ActionModal
          action={active}
          dossier={dossier}
          onClose={() => setActive(null)}
          onRefused={(error, action) => setRefusal({ error, action })}
          onDone={setDone}
        />
      )}
    </Card>
  );
}
