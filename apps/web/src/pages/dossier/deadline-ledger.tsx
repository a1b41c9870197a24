import { Card, Timeline, Typography } from 'antd';
import { type DossierView } from '../../api/types';
import { t } from '../../i18n';
import { ledgerInWords } from './deadline-words';

/** Why the due time is what it is: one sentence, then each ledger entry with the engine's own words. */
export function DeadlineLedger({ dossier }: { dossier: DossierView }) {
  const { summary, lines } = ledgerInWords(dossier);
  return (
    <Card style={{ marginBottom: 16 }}>
      <section aria-labelledby="ledger-title">
        <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }} id="ledger-title">
          {t.dossier.ledger}
        </Typography.Title>
        {summary ? (
          <>
            <Typography.Paragraph style={{ fontSize: 16 }} data-testid="ledger-summary">
              {summary}
            </Typography.Paragraph>
            <Timeline
              items={lines.map((line) => ({
                key: line.key,
                content: (
                  <>
                    <div>{line.text}</div>
                    {line.legalBasis && (
                      <div className="muted">
                        {t.dossier.ledgerBasis}: {line.legalBasis}
                      </div>
                    )}
                    {line.detail && (
                      <details className="muted">
                        <summary>{t.dossier.ledgerDetail}</summary>
                        {line.detail}
                      </details>
                    )}
                  </>
                ),
              }))}
            />
          </>
        ) : (
          <Typography.Paragraph type="secondary">{t.dossier.noLedger}</Typography.Paragraph>
        )}
      </section>
    </Card>
  );
}
