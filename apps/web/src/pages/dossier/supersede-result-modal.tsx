import { UploadOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Button, Modal, Typography, Upload } from 'antd';
import { useState } from 'react';
import { uploadDossierFile } from '../../api/queries';
import { type DossierFile } from '../../api/types';
import { ProblemAlert } from '../../components/problem-alert';
import { t } from '../../i18n';

/**
 * Replaces a result already returned to the citizen: the new file names the one it supersedes (the API audits it and
 * keeps the old file for officers, no longer serving it to the citizen). The officer picks the new file, reads what
 * replacing means, and confirms; nothing is sent before.
 */
export function SupersedeResultModal({
  dossierCode,
  current,
  accept,
  onClose,
  onDone,
}: {
  dossierCode: string;
  current: DossierFile;
  accept: string;
  onClose: () => void;
  onDone: (created: DossierFile) => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const replace = useMutation({
    mutationFn: (picked: File) => uploadDossierFile(dossierCode, { kind: 'RESULT', supersedes: current.id }, picked),
    onSuccess: (created) => {
      onDone(created);
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t.files.supersedeTitle(current.fileName)}
      okText={t.files.supersedeOk}
      cancelText={t.files.cancel}
      okButtonProps={{ danger: true, disabled: !file }}
      confirmLoading={replace.isPending}
      onOk={() => file && replace.mutate(file)}
      onCancel={onClose}
      destroyOnHidden
      width={600}
    >
      <Typography.Paragraph>{t.files.supersedeExplain}</Typography.Paragraph>
      {replace.error && <ProblemAlert error={replace.error} title={t.files.supersedeFailed(current.fileName)} />}
      <Upload
        accept={accept}
        showUploadList={false}
        multiple={false}
        beforeUpload={(picked) => {
          setFile(picked);
          replace.reset();
          // Sent only on confirmation, by the console itself (with the token).
          return false;
        }}
      >
        <Button icon={<UploadOutlined />}>{t.files.supersedePick}</Button>
      </Upload>
      <Typography.Paragraph style={{ marginTop: 8 }} data-testid="supersede-picked" aria-live="polite">
        {file ? t.files.supersedePicked(file.name) : t.files.supersedeNone}
      </Typography.Paragraph>
    </Modal>
  );
}
