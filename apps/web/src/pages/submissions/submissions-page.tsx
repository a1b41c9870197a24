import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Space } from 'antd';
import { useRef, useState } from 'react';
import { newIdempotencyKey } from '../../api/client';
import { fetchWaitingSubmissions, keys, openPdf, receiveSubmission } from '../../api/queries';
import { type DossierView, type SubmissionView } from '../../api/types';
import { PageLoading } from '../../components/page-loading';
import { Pager } from '../../components/pager';
import { ProblemAlert } from '../../components/problem-alert';
import { formatDateTime } from '../../format';
import { t } from '../../i18n';
import { ReceiptView } from '../intake/receipt-view';
import { RefuseSubmissionModal } from './refuse-submission-modal';

const PAGE_SIZE = 20;
/** New applications are not announced on the event stream: the list asks again while it is open. */
const REFRESH_MS = 10_000;

/**
 * "Hồ sơ nộp trực tuyến chờ tiếp nhận": the applications the portal filed at the clerk's desks, oldest first. A clerk
 * receives one (it becomes a dossier: code, receipt, clock from now) or refuses it with reasons (form 03).
 */
export default function SubmissionsPage() {
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [receipt, setReceipt] = useState<DossierView | null>(null);
  const [refusing, setRefusing] = useState<SubmissionView | null>(null);
  const [refused, setRefused] = useState<SubmissionView | null>(null);
  const [printError, setPrintError] = useState<unknown>(null);
  // One key per application received: a retry of the same click is the same reception.
  const receptionKeys = useRef(new Map<string, string>());
  const list = useQuery({
    queryKey: keys.waitingSubmissions((page - 1) * PAGE_SIZE),
    queryFn: () => fetchWaitingSubmissions((page - 1) * PAGE_SIZE, PAGE_SIZE),
    placeholderData: (previous) => previous,
    refetchInterval: REFRESH_MS,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: keys.submissions });
  const receive = useMutation({
    mutationFn: (s: SubmissionView) => {
      const key = receptionKeys.current.get(s.id) ?? newIdempotencyKey();
      receptionKeys.current.set(s.id, key);
      return receiveSubmission(s.id, key);
    },
    onMutate: () => {
      setRefused(null);
      setPrintError(null);
    },
    onSuccess: (dossier) => {
      setReceipt(dossier);
      void queryClient.invalidateQueries({ queryKey: keys.dossiers });
    },
    onSettled: refresh,
  });

  if (receipt) {
    return (
      <div className="page">
        <title>{`${t.submissions.title} — ${t.app.name}`}</title>
        <h1 className="page-title">{t.submissions.title}</h1>
        <ReceiptView dossier={receipt} onNew={() => setReceipt(null)} newLabel={t.submissions.backToList} />
      </div>
    );
  }

  const items = list.data?.items ?? [];
  return (
    <div className="page">
      <title>{`${t.submissions.title} — ${t.app.name}`}</title>
      <h1 className="page-title">{t.submissions.title}</h1>
      <p className="muted">{t.submissions.hint}</p>
      <div role="status" aria-live="polite">
        {refused && (
          <p className="notice-success">
            {t.submissions.refused(refused.applicant.name)}{' '}
            <Button
              size="small"
              onClick={() => {
                setPrintError(null);
                openPdf({ kind: 'desk-refusal', submissionId: refused.id }).catch(setPrintError);
              }}
            >
              {t.submissions.printRefusal}
            </Button>
          </p>
        )}
      </div>
      {printError !== null && <ProblemAlert error={printError} />}
      {list.error && <ProblemAlert error={list.error} />}
      {receive.error && (
        <ProblemAlert
          error={receive.error}
          title={receive.variables ? t.submissions.receiveOf(receive.variables.applicant.name) : t.submissions.failed}
        />
      )}
      {list.isPending ? (
        <PageLoading />
      ) : (
        <div className="table-scroll">
          <table className="data-table" aria-busy={list.isFetching}>
            <caption className="visually-hidden">{t.submissions.tableCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.submissions.colApplicant}</th>
                <th scope="col">{t.submissions.colProcedure}</th>
                <th scope="col">{t.submissions.colSubmitted}</th>
                <th scope="col">{t.submissions.colDocuments}</th>
                <th scope="col">{t.submissions.colAction}</th>
              </tr>
            </thead>
            <tbody>
              {items.length === 0 && (
                <tr>
                  <td colSpan={5} className="data-table-empty">
                    {t.submissions.empty}
                  </td>
                </tr>
              )}
              {items.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    <div>{s.applicant.name}</div>
                    <div className="muted">{s.applicant.idNumber}</div>
                  </th>
                  <td>
                    <div>{s.procedure.name}</div>
                    <div className="muted">
                      {s.procedure.code} · {s.receivingUnitName}
                    </div>
                  </td>
                  <td className="nowrap">{formatDateTime(s.submittedAt)}</td>
                  <td>
                    <ul className="plain-list" aria-label={t.submissions.documents(s.documents.length)}>
                      {s.documents.map((d) => (
                        <li key={d.code}>{d.name}</li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <Space wrap>
                      <Button
                        type="primary"
                        aria-label={t.submissions.receiveOf(s.applicant.name)}
                        loading={receive.isPending && receive.variables?.id === s.id}
                        disabled={receive.isPending}
                        onClick={() => receive.mutate(s)}
                      >
                        {t.submissions.receive}
                      </Button>
                      <Button
                        danger
                        aria-label={t.submissions.refuseOf(s.applicant.name)}
                        disabled={receive.isPending}
                        onClick={() => setRefusing(s)}
                      >
                        {t.submissions.refuse}
                      </Button>
                    </Space>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pageSize={PAGE_SIZE} total={list.data?.total ?? 0} onPage={setPage} />
      {refusing && (
        <RefuseSubmissionModal
          submission={refusing}
          onClose={() => {
            setRefusing(null);
            refresh();
          }}
          onRefused={(s) => {
            setRefused(s);
            setPrintError(null);
          }}
        />
      )}
    </div>
  );
}
