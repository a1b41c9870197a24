import { useQuery } from '@tanstack/react-query';
import { Button, Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { fetchMe, keys, openPdf, type PdfSource } from '../../api/queries';
import { type DossierView, type FormName } from '../../api/types';
import { ProblemAlert } from '../../components/problem-alert';
import { isoDateIn } from '../../format';
import { t } from '../../i18n';

const FORMS: FormName[] = ['receipt', 'supplement-request', 'refusal', 'apology', 'stop-notice', 'control-sheet'];
/** Who may open the register (the API's rule: it lists every applicant of the period). */
const REGISTER_ROLES = ['DESK_CLERK', 'UNIT_HEAD', 'AUDITOR'];

/**
 * Forms 01–06 of the dossier and, for the desk, its heads and inspectors, the register (07) for its day, each opened
 * as PDF in a new tab.
 */
export function FormsPanel({ dossier }: { dossier: DossierView }) {
  const [failed, setFailed] = useState<{ error: unknown; label: string } | null>(null);
  const me = useQuery({ queryKey: keys.me, queryFn: fetchMe, staleTime: 5 * 60_000 });
  const keepsRegister = me.data?.roles.some((r) => REGISTER_ROLES.includes(r)) ?? false;
  const open = (source: PdfSource, label: string) => {
    setFailed(null);
    openPdf(source).catch((error: unknown) => setFailed({ error, label }));
  };
  const day = isoDateIn(dossier.receivedAt);
  return (
    <Card style={{ marginBottom: 16 }}>
      <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }}>
        {t.dossier.forms}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t.dossier.formsHint}
      </Typography.Paragraph>
      {failed && <ProblemAlert error={failed.error} title={failed.label} />}
      <Space orientation="vertical" style={{ width: '100%' }}>
        {FORMS.map((form) => (
          <Button
            key={form}
            block
            onClick={() => open({ kind: 'form', code: dossier.code, form }, t.dossier.formButtons[form])}
          >
            {t.dossier.formButtons[form]}
          </Button>
        ))}
        {keepsRegister && (
          <Button
            block
            onClick={() =>
              open(
                { kind: 'register', unit: dossier.receivingUnitCode, from: day, to: day },
                t.dossier.formButtons.register,
              )
            }
          >
            {t.dossier.formButtons.register}
          </Button>
        )}
      </Space>
    </Card>
  );
}
