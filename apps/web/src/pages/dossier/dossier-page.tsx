import { useQuery } from '@tanstack/react-query';
import { Alert, Col, Row } from 'antd';
import { useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { fetchDossier, keys } from '../../api/queries';
import { useFallbackPolling } from '../../api/use-live-updates';
import { PageLoading } from '../../components/page-loading';
import { ProblemAlert, problemSentence } from '../../components/problem-alert';
import { formatDateTime } from '../../format';
import { t } from '../../i18n';
import { ActionsPanel } from './actions-panel';
import { BreachesList } from './breaches-list';
import { ControlSheet } from './control-sheet';
import { DeadlineLedger } from './deadline-ledger';
import { DossierDetails } from './dossier-details';
import { DossierHeader } from './dossier-header';
import { FilesPanel } from './files-panel';
import { FormsPanel } from './forms-panel';
import { HistoryTable } from './history-table';
import { LookupPinPanel } from './lookup-pin-panel';
import { PaymentsTable } from './payments-table';
import { SegmentsTable } from './segments-table';
import { VoicePanel } from './voice-panel';

/** One dossier: header, actions, files, control sheet, deadline ledger, fees, segments, history, the citizens' voice and forms. */
export default function DossierPage() {
  const code = useParams().code ?? '';
  const dossier = useQuery({
    queryKey: keys.dossier(code),
    queryFn: () => fetchDossier(code),
    refetchInterval: useFallbackPolling(),
  });
  const title = `${t.dossier.titlePrefix} ${code} — ${t.app.name}`;

  if (dossier.isPending) {
    return (
      <div className="page">
        <title>{title}</title>
        <PageLoading />
      </div>
    );
  }
  // A failed background refresh keeps the dossier on screen (an open dialog, a clerk's typing are not lost); only a
  // first load that failed, or a dossier gone from the caller's scope, replaces the page.
  const gone = dossier.error instanceof ApiError && dossier.error.status === 404;
  if (dossier.data === undefined || gone) {
    return (
      <div className="page">
        <title>{title}</title>
        <h1 style={{ fontSize: 24 }}>
          {t.dossier.titlePrefix} {code}
        </h1>
        <ProblemAlert error={dossier.error} title={gone ? t.dossier.notFound : undefined} />
      </div>
    );
  }
  const view = dossier.data;
  return (
    <div className="page">
      <title>{title}</title>
      <DossierHeader dossier={view} />
      {dossier.error && (
        <Alert
          type="warning"
          showIcon
          role="status"
          style={{ marginBottom: 16 }}
          title={t.dossier.refreshFailed(formatDateTime(new Date(dossier.dataUpdatedAt)))}
          description={problemSentence(dossier.error)}
        />
      )}
      <Row gutter={16}>
        <Col xs={24} lg={16}>
          <ActionsPanel dossier={view} />
          <FilesPanel dossier={view} />
          <ControlSheet dossier={view} />
          <DeadlineLedger dossier={view} />
          <PaymentsTable dossier={view} />
          <SegmentsTable dossier={view} />
          <BreachesList dossier={view} />
          <HistoryTable dossier={view} />
        </Col>
        <Col xs={24} lg={8}>
          <DossierDetails dossier={view} />
          <LookupPinPanel dossier={view} />
          <VoicePanel dossier={view} />
          <FormsPanel dossier={view} />
        </Col>
      </Row>
    </div>
  );
}
