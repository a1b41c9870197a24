import { Alert } from 'antd';
import { formatBudget, formatNumber } from '../../format';
import { t } from '../../i18n';
import { checkBudgets } from './budget-sum';
import { type Duration, type ProcedureCase, type ProcedureStep } from './procedures-api';

/** The budgets against the legal time they must fill: said plainly when they do not add up. */
export function BudgetTotal({ budgets, target, what }: { budgets: Duration[]; target: Duration; what: string }) {
  const check = checkBudgets(budgets, target);
  if (check.matches && check.total) {
    return (
      <p className="budget-total budget-ok" data-testid="budget-total">
        {t.procedures.budgetsMatch(formatBudget(check.total), what, formatBudget(target))}
      </p>
    );
  }
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      data-testid="budget-total"
      title={
        check.total
          ? t.procedures.budgetsMismatch(formatBudget(check.total), what, formatBudget(target))
          : t.procedures.budgetsMixed(what)
      }
    />
  );
}

/** A list of steps as a flow: each with its unit, role, budget and what follows. */
export function StepFlow({
  steps,
  names,
  label,
  target,
  what,
}: {
  steps: ProcedureStep[];
  names: Map<string, string>;
  label: string;
  /** The time the counted budgets must fill; null when there is none to check (result handed over at once). */
  target: Duration | null;
  what: string;
}) {
  const counted = steps.filter((s) => s.counted);
  const check = target
    ? checkBudgets(
        counted.map((s) => s.budget),
        target,
      )
    : null;
  // The share of the legal time each counted step takes (the list below says the same in words).
  const scale = check?.total ? Math.max(check.total.amount, target?.amount ?? 0) : 0;
  const inTargetUnit = (d: Duration): number | null =>
    target ? (checkBudgets([d], target).total?.amount ?? null) : null;
  return (
    <>
      {scale > 0 && (
        <div aria-hidden="true">
          <p className="budget-bar-caption">{t.procedures.barCaption}</p>
          <div className="budget-bar">
            {counted.map((s) => {
              const share = (inTargetUnit(s.budget) ?? 0) / scale;
              return share > 0 ? (
                <span key={s.code} style={{ width: `${share * 100}%` }} title={`${s.code}: ${formatBudget(s.budget)}`}>
                  {share > 0.04 ? s.code : ''}
                </span>
              ) : null;
            })}
          </div>
        </div>
      )}
      <ol className="step-flow" aria-label={label}>
        {steps.map((s, i) => (
          <li key={s.code} className={s.counted ? 'step' : 'step step-uncounted'} data-step-code={s.code}>
            <div className="step-head">
              <span className="step-no">{t.procedures.stepNo(i + 1)}</span> <strong>{s.name}</strong>{' '}
              <span className="muted">({s.code})</span>
            </div>
            <dl className="step-facts">
              <div>
                <dt>{t.procedures.stepUnit}</dt>
                <dd>
                  {names.get(s.unit) ?? s.unit} <span className="muted">({s.unit})</span>
                </dd>
              </div>
              <div>
                <dt>{t.procedures.stepRole}</dt>
                <dd>{t.roles[s.role] ?? s.role}</dd>
              </div>
              <div>
                <dt>{t.procedures.stepBudget}</dt>
                <dd data-testid="step-budget">
                  {formatBudget(s.budget)}
                  {!s.counted && ` — ${t.procedures.notCounted}`}
                </dd>
              </div>
              <div>
                <dt>{t.procedures.stepNext}</dt>
                <dd>{s.next.length === 0 ? t.procedures.lastStep : s.next.join(', ')}</dd>
              </div>
            </dl>
          </li>
        ))}
      </ol>
      {target && <BudgetTotal budgets={counted.map((s) => s.budget)} target={target} what={what} />}
    </>
  );
}

/** One case of a version: its time, clock, documents, fees and steps (or agency segments). */
export function CaseView({
  c,
  names,
  headingLevel,
}: {
  c: ProcedureCase;
  names: Map<string, string>;
  headingLevel: 2 | 3;
}) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const Sub = headingLevel === 2 ? 'h3' : 'h4';
  const id = `case-${c.code}`;
  const cp = c.clockPolicy;
  return (
    <section className="case" aria-labelledby={id}>
      <H id={id}>{t.procedures.caseTitle(c.name, c.code)}</H>
      <dl className="facts">
        <div>
          <dt>{t.procedures.processingTime}</dt>
          <dd>{c.returnsImmediately ? t.procedures.returnsImmediately : formatBudget(c.processingTime)}</dd>
        </div>
        <div>
          <dt>{t.procedures.onlineLevel}</dt>
          <dd>{t.procedures.onlineLevels[c.onlineLevel] ?? c.onlineLevel}</dd>
        </div>
        <div>
          <dt>{t.procedures.clockPolicy}</dt>
          <dd>
            {t.procedures.supplementPolicies[cp.supplement]}; {t.procedures.maxSupplements(cp.maxSupplementRequests)};{' '}
            {t.procedures.applicantWindow(formatBudget(cp.applicantWindow))}
          </dd>
        </div>
        {c.cutoff && (c.cutoff.cutoffTime || c.cutoff.lastOfficeHour) && (
          <div>
            <dt>{t.procedures.cutoff}</dt>
            <dd>{c.cutoff.cutoffTime ? t.procedures.cutoffTime(c.cutoff.cutoffTime) : t.procedures.lastOfficeHour}</dd>
          </div>
        )}
      </dl>

      <Sub>{t.procedures.documents}</Sub>
      <div className="table-scroll">
        <table className="data-table">
          <caption className="visually-hidden">{t.procedures.documentsOf(c.name)}</caption>
          <thead>
            <tr>
              <th scope="col">{t.procedures.colDocument}</th>
              <th scope="col">{t.procedures.colMandatory}</th>
              <th scope="col">{t.procedures.colForm}</th>
              <th scope="col">{t.procedures.colCount}</th>
            </tr>
          </thead>
          <tbody>
            {c.documents.length === 0 && (
              <tr>
                <td colSpan={4} className="data-table-empty">
                  {t.procedures.noDocuments}
                </td>
              </tr>
            )}
            {c.documents.map((d) => (
              <tr key={d.code}>
                <th scope="row">
                  {d.name} <span className="muted">({d.code})</span>
                </th>
                <td>{d.mandatory ? <strong className="mandatory">{t.intake.mandatory}</strong> : t.intake.optional}</td>
                <td>{t.intake.documentForms[d.form as keyof typeof t.intake.documentForms] ?? d.form}</td>
                <td>{d.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <Sub>{t.procedures.fees}</Sub>
      {c.fees.length === 0 ? (
        <p>{t.procedures.noFees}</p>
      ) : (
        <ul>
          {c.fees.map((f) => (
            <li key={f.name}>
              {f.name}: <strong>{t.procedures.amount(formatNumber(f.amount, 0))}</strong>
              {f.note && <span className="muted"> — {f.note}</span>}
            </li>
          ))}
        </ul>
      )}

      {c.segments && c.segments.length > 0 ? (
        <>
          <Sub>{t.procedures.segments}</Sub>
          {c.segments.map((s) => (
            <section key={s.code} className="segment" aria-label={t.procedures.segmentTitle(s.name)}>
              <p>
                <strong>{t.procedures.segmentTitle(s.name)}</strong> — {names.get(s.agency) ?? s.agency}{' '}
                <span className="muted">({s.agency})</span> — {formatBudget(s.budget)}
              </p>
              <StepFlow
                steps={s.steps}
                names={names}
                label={t.procedures.stepsOfSegment(s.name)}
                target={s.budget}
                what={t.procedures.segmentBudget}
              />
            </section>
          ))}
          <BudgetTotal
            budgets={c.segments.map((s) => s.budget)}
            target={c.processingTime}
            what={t.procedures.legalTime}
          />
        </>
      ) : (
        <>
          <Sub>{t.procedures.steps}</Sub>
          {c.returnsImmediately ? <p>{t.procedures.returnsImmediately}</p> : null}
          <StepFlow
            steps={c.steps}
            names={names}
            label={t.procedures.stepsOf(c.name)}
            target={c.returnsImmediately ? null : c.processingTime}
            what={t.procedures.legalTime}
          />
        </>
      )}
    </section>
  );
}
