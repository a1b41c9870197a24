import { useMutation } from '@tanstack/react-query';
import { Form, Input, Modal, Typography } from 'antd';
import { refuseSubmission } from '../../api/queries';
import { type SubmissionView } from '../../api/types';
import { ProblemAlert } from '../../components/problem-alert';
import { t } from '../../i18n';

/** The reasons typed one per line, as the refusal (form 03) lists them. */
const reasonsOf = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

/** Refusing a waiting application: the reasons (required by the server too), then "Xác nhận". */
export function RefuseSubmissionModal({
  submission,
  onClose,
  onRefused,
}: {
  submission: SubmissionView;
  onClose: () => void;
  onRefused: (refused: SubmissionView) => void;
}) {
  const [form] = Form.useForm<{ reasons: string }>();
  const refuse = useMutation({
    mutationFn: (text: string) => refuseSubmission(submission.id, reasonsOf(text)),
    onSuccess: (refused) => {
      onRefused(refused);
      onClose();
    },
  });
  const title = t.submissions.refuseOf(submission.applicant.name);
  return (
    <Modal
      open
      title={title}
      okText={t.submissions.confirm}
      cancelText={t.submissions.cancel}
      confirmLoading={refuse.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      width={640}
    >
      <Typography.Paragraph>
        {t.submissions.refuseQuestion(submission.applicant.name, submission.procedure.name)}
      </Typography.Paragraph>
      {refuse.error && <ProblemAlert error={refuse.error} title={t.submissions.failed} />}
      <Form<{ reasons: string }> form={form} layout="vertical" onFinish={(values) => refuse.mutate(values.reasons)}>
        <Form.Item
          name="reasons"
          label={t.submissions.reasons}
          rules={[
            {
              validator: (_, value: string | undefined) =>
                reasonsOf(value ?? '').length > 0
                  ? Promise.resolve()
                  : Promise.reject(new Error(t.submissions.reasonsRequired)),
            },
          ]}
        >
          <Input.TextArea rows={4} maxLength={4000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
