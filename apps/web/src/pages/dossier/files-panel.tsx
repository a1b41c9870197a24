import { DownloadOutlined, FileOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Popconfirm, Space, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import {
  certifyDossierFile,
  downloadDossierFile,
  fetchDossierFiles,
  fetchMe,
  keys,
  uploadDossierFile,
} from '../../api/queries';
import { type DossierFile, type DossierView } from '../../api/types';
import { ProblemAlert } from '../../components/problem-alert';
import { formatBytes, formatDateTime } from '../../format';
import { t } from '../../i18n';
import { mayAttachResult, mustSupersede } from './result-rules';
import { SupersedeResultModal } from './supersede-result-modal';

/** The API's rules (apps/api/src/files): who scans papers, who certifies (the result's: ./result-rules). */
const PAPER_ROLES = ['DESK_CLERK', 'AGENCY_SYSTEM'];
const CERTIFY_ROLES = ['DESK_CLERK'];
const CLOSED_STATES = ['RESULT_RETURNED', 'WITHDRAWN', 'CLOSED'];
/** What the file picker offers (the server checks the content itself). */
const ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';

type Feedback = { ok: string } | { error: unknown; title: string } | null;

/**
 * The dossier's papers, each with its scan(s) — name, type, size, SHA-256, who uploaded and certified it — or marked
 * missing; the result's file(s). Uploads, certification and downloads as the caller's roles and the dossier's state
 * allow (the API decides; the buttons follow its rules so nobody is offered what would be refused).
 */
export function FilesPanel({
  dossier,
  hint,
}: {
  dossier: DossierView;
  /** Said first (intake: scan now). */ hint?: string;
}) {
  const queryClient = useQueryClient();
  const [feedback, setFeedback] = useState<Feedback>(null);
  const [superseding, setSuperseding] = useState<DossierFile | null>(null);
  const me = useQuery({ queryKey: keys.me, queryFn: fetchMe, staleTime: 5 * 60_000 });
  const files = useQuery({
    queryKey: keys.dossierFiles(dossier.code),
    queryFn: () => fetchDossierFiles(dossier.code),
  });
  const roles = me.data?.roles ?? [];
  const canScanPapers = roles.some((r) => PAPER_ROLES.includes(r)) && !CLOSED_STATES.includes(dossier.state);
  const canCertify = roles.some((r) => CERTIFY_ROLES.includes(r));
  const canAttachResult = me.data ? mayAttachResult(me.data, dossier) : false;

  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.dossierFiles(dossier.code) });
  const upload = useMutation({
    mutationFn: ({ file, documentCode }: { file: File; documentCode: string | null }) =>
      uploadDossierFile(dossier.code, documentCode ? { kind: 'PAPER', documentCode } : { kind: 'RESULT' }, file),
    onMutate: () => setFeedback(null),
    onSuccess: (view) => {
      setFeedback({ ok: t.files.uploadDone(view.fileName) });
      void refresh();
    },
    onError: (error, { file }) => setFeedback({ error, title: t.files.uploadFailed(file.name) }),
  });
  const certify = useMutation({
    mutationFn: (file: DossierFile) => certifyDossierFile(dossier.code, file.id),
    onMutate: () => setFeedback(null),
    onSuccess: (view) => {
      setFeedback({ ok: t.files.certifiedDone(view.fileName) });
      void refresh();
    },
    onError: (error) => setFeedback({ error, title: t.files.certify }),
  });
  const download = (file: DossierFile) => {
    setFeedback(null);
    downloadDossierFile(dossier.code, file).catch((error: unknown) =>
      setFeedback({ error, title: t.files.downloadOf(file.fileName) }),
    );
  };

  const limits = files.data
    ? t.files.limits(
        files.data.contentTypes.map((c) => t.files.types[c] ?? c).join(', '),
        formatBytes(files.data.maxBytes),
      )
    : '';

  const uploadButton = (label: string, documentCode: string | null) => (
    <Upload
      accept={ACCEPT}
      showUploadList={false}
      multiple={false}
      beforeUpload={(file) => {
        upload.mutate({ file, documentCode });
        // The console sends it itself (with the token), not antd's own request.
        return false;
      }}
    >
      <Button
        icon={<UploadOutlined />}
        aria-label={label}
        loading={upload.isPending && upload.variables?.documentCode === documentCode}
      >
        {label}
      </Button>
    </Upload>
  );

  const items = files.data?.items ?? [];
  const results = items.filter((f) => f.kind === 'RESULT');
  // Once returned, a result is replaced explicitly, never added beside the one the citizen has.
  const supersedeOnly = mustSupersede(dossier.state, results);
  const nameOf = (id: string) => items.find((f) => f.id === id)?.fileName ?? id;

  const fileBlock = (file: DossierFile) => (
    <li
      key={file.id}
      className={file.superseded ? 'dossier-file dossier-file-superseded' : 'dossier-file'}
      aria-label={file.fileName}
    >
      <div>
        <FileOutlined aria-hidden />{' '}
        {file.superseded ? (
          <del className="dossier-file-name">{file.fileName}</del>
        ) : (
          <strong className="dossier-file-name">{file.fileName}</strong>
        )}{' '}
        {file.superseded && <Tag color="default">{t.files.supersededTag}</Tag>}
        {file.kind === 'RESULT' && !file.superseded && results.some((f) => f.superseded) && (
          <Tag color="success">{t.files.currentTag}</Tag>
        )}
        <span className="muted">
          · {t.files.types[file.contentType] ?? file.contentType} · {formatBytes(file.sizeBytes)}
        </span>
      </div>
      <div className="muted">
        {t.files.sha256}:{' '}
        <Typography.Text
          code
          copyable={{ text: file.sha256, tooltips: [t.files.copySha, t.files.copiedSha] }}
          data-testid="file-sha256"
          data-sha256={file.sha256}
        >
          {file.sha256.slice(0, 12)}…
        </Typography.Text>
      </div>
      <div className="muted">
        {t.files.uploaded}: {t.files.byAt(file.uploadedBy.name, formatDateTime(file.uploadedAt))}
        {file.reusedFrom ? ` — ${t.files.reusedFrom(file.reusedFrom.dossierCode)}` : ''}
      </div>
      {file.superseded && (
        <div className="muted" data-testid="file-superseded">
          {t.files.supersededBy(nameOf(file.superseded.by), formatDateTime(file.superseded.at))}
        </div>
      )}
      {file.kind === 'PAPER' && file.certified && (
        <div className="muted" data-testid="file-certified">
          {t.files.certified}: {t.files.byAt(file.certified.by.name, formatDateTime(file.certified.at))}
        </div>
      )}
      <Space wrap style={{ marginTop: 6 }}>
        <Button
          size="small"
          icon={<DownloadOutlined />}
          aria-label={t.files.downloadOf(file.fileName)}
          onClick={() => download(file)}
        >
          {t.files.download}
        </Button>
        {file.kind === 'PAPER' && !file.certified && canCertify && (
          <Popconfirm
            title={t.files.certifyQuestion(file.fileName)}
            okText={t.files.certifyOk}
            cancelText={t.files.cancel}
            onConfirm={() => certify.mutate(file)}
          >
            <Button
              size="small"
              type="primary"
              aria-label={t.files.certifyOf(file.fileName)}
              loading={certify.isPending && certify.variables?.id === file.id}
            >
              {t.files.certify}
            </Button>
          </Popconfirm>
        )}
        {file.kind === 'RESULT' && !file.superseded && supersedeOnly && canAttachResult && (
          <Button
            size="small"
            danger
            aria-label={t.files.supersedeOf(file.fileName)}
            onClick={() => {
              setFeedback(null);
              setSuperseding(file);
            }}
          >
            {t.files.supersede}
          </Button>
        )}
      </Space>
    </li>
  );

  return (
    <Card style={{ marginBottom: 16 }}>
      <section aria-labelledby="files-title">
        <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }} id="files-title">
          {t.files.title}
        </Typography.Title>
        {hint && <Typography.Paragraph>{hint}</Typography.Paragraph>}
        {limits && (canScanPapers || canAttachResult) && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }} data-testid="file-limits">
            {limits}
          </Typography.Paragraph>
        )}
        {files.error !== null && <ProblemAlert error={files.error} />}
        {feedback && 'ok' in feedback && (
          <Alert type="success" showIcon role="status" title={feedback.ok} style={{ marginBottom: 12 }} />
        )}
        {feedback && 'error' in feedback && <ProblemAlert error={feedback.error} title={feedback.title} />}
        <Typography.Title level={3} style={{ fontSize: 16 }}>
          {t.files.papers}
        </Typography.Title>
        {dossier.documents.map((paper) => {
          const scans = items.filter((f) => f.kind === 'PAPER' && f.documentCode === paper.code);
          const headingId = `paper-${paper.code}`;
          return (
            <div key={paper.code} role="group" aria-labelledby={headingId} className="dossier-paper">
              <div className="dossier-paper-head">
                <span id={headingId} className="dossier-paper-name">
                  {paper.name}
                </span>{' '}
                {scans.length === 0 ? (
                  <Tag color="error">{t.files.missingPaper}</Tag>
                ) : scans.some((f) => f.certified) ? (
                  <Tag color="success">{t.files.digitised}</Tag>
                ) : (
                  <Tag color="warning">{t.files.notCertified}</Tag>
                )}
              </div>
              {scans.length > 0 && (
                <ul className="dossier-file-list" aria-label={t.files.fileList(paper.name)}>
                  {scans.map(fileBlock)}
                </ul>
              )}
              {canScanPapers && uploadButton(t.files.uploadOf(paper.name), paper.code)}
            </div>
          );
        })}
        <div role="group" aria-labelledby="result-files-title" className="dossier-paper">
          <div className="dossier-paper-head">
            <Typography.Title level={3} style={{ fontSize: 16, margin: 0 }} id="result-files-title">
              {t.files.result}
            </Typography.Title>
          </div>
          {results.length === 0 ? (
            <Typography.Text type="secondary">{t.files.missingResult}</Typography.Text>
          ) : (
            <ul className="dossier-file-list" aria-label={t.files.result}>
              {results.map(fileBlock)}
            </ul>
          )}
          {canAttachResult && supersedeOnly && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
              {t.files.returnedHint}
            </Typography.Paragraph>
          )}
          {canAttachResult && !supersedeOnly && (
            <div style={{ marginTop: 8 }}>{uploadButton(t.files.uploadResult, null)}</div>
          )}
        </div>
      </section>
      {superseding && (
        <SupersedeResultModal
          dossierCode={dossier.code}
          current={superseding}
          accept={ACCEPT}
          onClose={() => setSuperseding(null)}
          onDone={(created) => {
            setFeedback({ ok: t.files.supersedeDone(superseding.fileName, created.fileName) });
            void refresh();
          }}
        />
      )}
    </Card>
  );
}
