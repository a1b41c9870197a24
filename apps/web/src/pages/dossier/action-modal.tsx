import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Form, Modal, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, newIdempotencyKey } from '../../api/client';
import { keys, performAction } from '../../api/queries';
import { type ActionName, type DossierView } from '../../api/types';
import { ProblemAlert } from '../../components/problem-alert';
import { t } from '../../i18n';
import { type ActionFormValues, toActionBody } from './action-body';
import { ActionFields } from './action-fields';

/** A refusal by the workflow's rules (a race lost, a state moved on): the modal closes and the page shows it. */
const isRefusal = (e: unknown): boolean => e instanceof ApiError && (e.status === 403 || e.status === 409);

/**
 * One action: its inputs, a confirmation sentence and "Xác nhận". Success refreshes the dossier; a refusal is
 * handed to the page, which refetches and shows it in Vietnamese.
 */
export function ActionModal({
  action,
  dossier,
  onClose,
  onRefused,
  onDone,
}: {
  action: ActionName;
  dossier: DossierView;
  onClose: () => void;
  onRefused: (error: unknown, action: ActionName) => void;
  onDone: (action: ActionName) => void;
}) {
  const [form] = Form.useForm<ActionFormValues>();
  const queryClient = useQueryClient();
  // One key for this intent: a retry after a network error is recognised by the server as the same request.
  const [key, setKey] = useState(newIdempotencyKey);
  const label = t.actions.labels[action] ?? action;

  const act = useMutation({
    mutationFn: (values: ActionFormValues) => performAction(dossier.code, action, toActionBody(action, values), key),
    onSuccess: (view) => {
      queryClient.setQueryData(keys.dossier(dossier.code), view);
      void queryClient.invalidateQueries({ queryKey: keys.dossiers });
      onDone(action);
      onClose();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) {
        // The server answered: changing the inputs and trying again is a new intent.
        setKey(newIdempotencyKey());
      }
      void queryClient.invalidateQueries({ queryKey: keys.dossier(dossier.code) });
      if (isRefusal(e)) {
        onRefused(e, action);
        onClose();
      }
    },
  });

  return (
    <Modal
      open
      title={label}
      okText={t.actions.confirm}
      cancelText={t.actions.cancel}
      confirmLoading={act.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      width={640}
    >
      <Typography.Paragraph>{t.actions.questions[action]}</Typography.Paragraph>
      {act.error && !isRefusal(act.error) && <ProblemAlert error={act.error} title={t.actions.refusedTitle} />}
      <Form<ActionFormValues> form={form} layout="vertical" onFinish={(values) => act.mutate(values)}>
        <ActionFields action={action} dossier={dossier} />
      </Form>
    </Modal>
  );
}
