import { Card, Descriptions, Timeline, Typography } from 'antd';
import { type DossierView } from '../../api/types';
import { TimelinessMark } from '../../components/timeliness-mark';
import { formatDateTime, formatNumber } from '../../format';
import { t } from '../../i18n';

const DOT: Record<string, string> = { EARLY: 'green', ON_TIME: 'blue', LATE: 'red' };

/** The control sheet (form 06) as a timeline: one row per step instance and hand-over. */
export function ControlSheet({ dossier }: { dossier: DossierView }) {
  return (
    <Card style={{ marginBottom: 16 }}>
      <section aria-labelledby="control-sheet-title">
        <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }} id="control-sheet-title">
          {t.dossier.controlSheet}
        </Typography.Title>
        {dossier.steps.length === 0 ? (
          <Typography.Paragraph type="secondary">{t.dossier.noSteps}</Typography.Paragraph>
        ) : (
          <Timeline
            items={dossier.steps.map((s) => {
              const open = !s.completedAt;
              return {
                key: `${s.no}-${s.code}`,
                color: open ? 'gray' : (DOT[s.result ?? ''] ?? 'gray'),
                content: (
                  <div data-step-no={s.no}>
                    <Typography.Title level={3} style={{ fontSize: 16, margin: 0 }}>
                      {t.dossier.stepTitle(s.no, s.name)}{' '}
                      {open ? (
                        <span className="band-tag" style={{ background: '#e6f4ff', color: '#003a8c' }}>
                          {t.dossier.stepInProgress}
                        </span>
                      ) : (
                        <TimelinessMark result={s.result} />
                      )}
                    </Typography.Title>
                    <Descriptions
                      size="small"
                      column={{ xs: 1, md: 2 }}
                      style={{ marginTop: 4 }}
                      items={[
                        { key: 'unit', label: t.dossier.stepUnit, children: s.unitName },
                        { key: 'role', label: t.dossier.stepRole, children: t.roles[s.role] ?? s.role },
                        {
                          key: 'holder',
                          label: t.dossier.stepHolder,
                          children: s.holder?.fullName ?? t.dossier.noHolder,
                        },
                        { key: 'started', label: t.dossier.stepStarted, children: formatDateTime(s.startedAt) },
                        {
                          key: 'budget',
                          label: t.dossier.stepBudget,
                          children:
                            s.budgetWorkingDays === null ||
                            s.budgetWorkingDays === undefined ||
                            s.budgetWorkingDays === 0
                              ? t.dossier.stepNotCounted
                              : t.time.workingDays(formatNumber(s.budgetWorkingDays)),
                        },
                        { key: 'due', label: t.dossier.stepDue, children: formatDateTime(s.dueAt) || t.app.dash },
                        {
                          key: 'finished',
                          label: t.dossier.stepFinished,
                          children: formatDateTime(s.completedAt) || t.app.dash,
                        },
                        ...(s.exit
                          ? [{ key: 'exit', label: t.dossier.stepExit, children: t.dossier.exits[s.exit] ?? s.exit }]
                          : []),
                        ...(s.note ? [{ key: 'note', label: t.dossier.stepNote, children: s.note }] : []),
                      ]}
                    />
                  </div>
                ),
              };
            })}
          />
        )}
      </section>
    </Card>
  );
}
