import { useQuery } from '@tanstack/react-query';
import { Descriptions, Typography } from 'antd';
import { fetchPromisedTime, keys } from '../../api/queries';
import { ProblemAlert } from '../../components/problem-alert';
import { formatBudget, formatDateTime } from '../../format';
import { t } from '../../i18n';

/** What the receipt would promise if the dossier were received now (the API applies the cut-off and calendar). */
export function PromisedTimePreview({
  procedureCode,
  receivingUnitCode,
  caseCode,
}: {
  procedureCode?: string;
  receivingUnitCode?: string;
  caseCode?: string;
}) {
  const enabled = Boolean(procedureCode && receivingUnitCode);
  const promised = useQuery({
    queryKey: keys.promisedTime(procedureCode ?? '', receivingUnitCode ?? '', caseCode),
    queryFn: () => fetchPromisedTime(procedureCode ?? '', receivingUnitCode ?? '', caseCode),
    enabled,
    // "Now" moves: refresh so the time shown is the one the receipt will print.
    refetchInterval: 60_000,
  });
  if (!enabled) {
    return <Typography.Paragraph type="secondary">{t.intake.pickProcedureFirst}</Typography.Paragraph>;
  }
  if (promised.error) {
    return <ProblemAlert error={promised.error} />;
  }
  if (!promised.data) {
    return <Typography.Paragraph>{t.app.loading}</Typography.Paragraph>;
  }
  return (
    <div aria-live="polite">
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          {
            key: 'promised',
            label: t.intake.promisedIfNow,
            children: <strong style={{ fontSize: 17 }}>{formatDateTime(promised.data.promisedAt)}</strong>,
          },
          { key: 'time', label: t.intake.processingTime, children: formatBudget(promised.data.processingTime) },
        ]}
      />
      {promised.data.explanation && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {promised.data.explanation}
        </Typography.Paragraph>
      )}
    </div>
  );
}
