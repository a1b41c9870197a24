import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError, type FieldError } from '../../api/client';
import { fetchMe, keys } from '../../api/queries';
import { PageLoading } from '../../components/page-loading';
import { ProblemAlert } from '../../components/problem-alert';
import { formatIsoDate, isoDateIn, parseVnDate } from '../../format';
import { t } from '../../i18n';
import { errorsAt, type ErrorsByField, groupErrors, validatorMessage } from './field-errors';
import { BudgetTotal } from './procedure-flow';
import {
  fetchCatalog,
  fetchProcedureVersion,
  fetchUnitTree,
  type ProcedureDefinition,
  type ProcedureDetail,
  type ProcedureStep,
  procedureKeys,
  publishProcedure,
  unitNames,
} from './procedures-api';
import './procedures.css';

const tomorrow = (): string => {
  const today = isoDateIn(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
};

/** The version in force as the template of a new one (effective tomorrow by default). */
function templateOf(p: ProcedureDetail): ProcedureDefinition | null {
  if (!p.version) {
    return null;
  }
  return {
    code: p.code,
    ...(p.localCode ? { localCode: p.localCode } : {}),
    name: p.name,
    field: p.field,
    level: p.level,
    resolvingAgency: p.resolvingAgency,
    version: { ...structuredClone(p.version.definition), effectiveFrom: tomorrow() },
  };
}

/** Sets a value at a path of a copy of the draft ("version.cases.0.steps.3.budget.amount"). */
function setAt(draft: ProcedureDefinition, path: (string | number)[], value: unknown): ProcedureDefinition {
  const copy = structuredClone(draft);
  let node = copy as unknown as Record<string | number, unknown>;
  path.slice(0, -1).forEach((key) => {
    node = node[key] as Record<string | number, unknown>;
  });
  node[path[path.length - 1]] = value;
  return copy;
}

const fieldId = (path: string) => `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;

/** The errors of a field, next to it (its id is the field's aria-describedby). */
function FieldErrors({ path, messages }: { path: string; messages: string[] }) {
  if (messages.length === 0) {
    return null;
  }
  return (
    <div id={`${fieldId(path)}-error`} className="field-error" data-field={path}>
      {messages.map((m, i) => (
        <div key={i}>{validatorMessage(m)}</div>
      ))}
    </div>
  );
}

interface AmountProps {
  path: string;
  label: string;
  value: number;
  errors: ErrorsByField;
  onChange: (value: number) => void;
}

/** A number field (a duration's amount) with its errors from the validator. */
function AmountField({ path, label, value, errors, onChange }: AmountProps) {
  const messages = errorsAt(errors, path);
  return (
    <div className="field">
      <label htmlFor={fieldId(path)}>{label}</label>
      <input
        id={fieldId(path)}
        type="number"
        step="0.25"
        min="0"
        value={Number.isNaN(value) ? '' : value}
        aria-invalid={messages.length > 0 || undefined}
        aria-describedby={messages.length > 0 ? `${fieldId(path)}-error` : undefined}
        onChange={(e) => onChange(e.target.value === '' ? NaN : Number(e.target.value))}
      />
      <FieldErrors path={path} messages={messages} />
    </div>
  );
}

/** The steps of a case or segment, their budgets editable, the total against the time they must fill. */
function StepsEditor({
  steps,
  base,
  caption,
  names,
  errors,
  target,
  what,
  onBudget,
}: {
  steps: ProcedureStep[];
  base: string;
  caption: string;
  names: Map<string, string>;
  errors: ErrorsByField;
  target: ProcedureDefinition['version']['cases'][number]['processingTime'] | null;
  what: string;
  onBudget: (index: number, amount: number) => void;
}) {
  const own = errorsAt(errors, base, false);
  return (
    <div className="steps-editor">
      <div className="table-scroll">
        <table
          className="data-table"
          id={fieldId(base)}
          aria-invalid={own.length > 0 || undefined}
          aria-describedby={own.length > 0 ? `${fieldId(base)}-error` : undefined}
        >
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.procedures.colStep}</th>
              <th scope="col">{t.procedures.stepUnit}</th>
              <th scope="col">{t.procedures.stepRole}</th>
              <th scope="col">{t.procedures.stepBudget}</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s, i) => {
              const path = `${base}[${i}].budget`;
              const messages = errorsAt(errors, path);
              return (
                <tr key={s.code}>
                  <th scope="row">
                    {s.code} — {s.name}
                    {!s.counted && <div className="muted">{t.procedures.notCounted}</div>}
                  </th>
                  <td>{names.get(s.unit) ?? s.unit}</td>
                  <td>{t.roles[s.role] ?? s.role}</td>
                  <td>
                    <label className="visually-hidden" htmlFor={fieldId(path)}>
                      {t.procedures.form.stepBudget(s.code, s.name, t.procedures.units[s.budget.unit] ?? s.budget.unit)}
                    </label>
                    <input
                      id={fieldId(path)}
                      className="amount-input"
                      type="number"
                      step="0.25"
                      min="0"
                      value={Number.isNaN(s.budget.amount) ? '' : s.budget.amount}
                      aria-invalid={messages.length > 0 || undefined}
                      aria-describedby={messages.length > 0 ? `${fieldId(path)}-error` : undefined}
                      onChange={(e) => onBudget(i, e.target.value === '' ? NaN : Number(e.target.value))}
                    />{' '}
                    {t.procedures.units[s.budget.unit] ?? s.budget.unit}
                    <FieldErrors path={path} messages={messages} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <FieldErrors path={base} messages={own} />
      {target && (
        <BudgetTotal
          budgets={steps.filter((s) => s.counted && !Number.isNaN(s.budget.amount)).map((s) => s.budget)}
          target={target}
          what={what}
        />
      )}
    </div>
  );
}

/** Every path the form shows an input (or a table) for: the validator's other errors are listed above the form. */
function shownPaths(draft: ProcedureDefinition): string[] {
  const paths = ['version.effectiveFrom', 'version.legalBasis'];
  draft.version.cases.forEach((c, i) => {
    const base = `version.cases[${i}]`;
    paths.push(`${base}.processingTime`, `${base}.steps`);
    c.steps.forEach((_, j) => paths.push(`${base}.steps[${j}].budget`));
    c.segments?.forEach((s, j) => {
      paths.push(`${base}.segments`, `${base}.segments[${j}].budget`, `${base}.segments[${j}].steps`);
      s.steps.forEach((_, k) => paths.push(`${base}.segments[${j}].steps[${k}].budget`));
    });
  });
  return paths;
}

/** The draft's own checks before sending: a real date, numbers in every amount. The rules are the API's. */
function clientErrors(draft: ProcedureDefinition, dateText: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!parseVnDate(dateText)) {
    errors.push({ field: 'version.effectiveFrom', message: t.procedures.form.dateInvalid });
  }
  const amount = (path: string, value: number) => {
    if (Number.isNaN(value)) {
      errors.push({ field: path, message: t.procedures.form.numberRequired });
    }
  };
  draft.version.cases.forEach((c, i) => {
    const base = `version.cases[${i}]`;
    amount(`${base}.processingTime`, c.processingTime.amount);
    c.steps.forEach((s, j) => amount(`${base}.steps[${j}].budget`, s.budget.amount));
    c.segments?.forEach((seg, j) => {
      amount(`${base}.segments[${j}].budget`, seg.budget.amount);
      seg.steps.forEach((s, k) => amount(`${base}.segments[${j}].steps[${k}].budget`, s.budget.amount));
    });
  });
  return errors;
}

/** Reads a YAML (or JSON) upload: a procedure, or a catalog file `procedures:` from which the chosen code is taken. */
async function readUpload(file: File, code: string): Promise<ProcedureDefinition> {
  const { parse } = await import('yaml');
  const doc = parse(await file.text(), { merge: true }) as unknown;
  const record = (doc ?? {}) as { procedures?: ProcedureDefinition[] } & Partial<ProcedureDefinition>;
  if (Array.isArray(record.procedures)) {
    const found = record.procedures.find((p) => p.code === code) ?? record.procedures[0];
    if (!found) {
      throw new Error(t.procedures.form.yamlEmpty);
    }
    return found;
  }
  if (!record.version || !Array.isArray(record.version.cases)) {
    throw new Error(t.procedures.form.yamlShape);
  }
  return record as ProcedureDefinition;
}

/** "Công bố phiên bản mới": an admin starts from the version in force (or a YAML file), edits, publishes. */
export default function PublishPage() {
  const [params, setParams] = useSearchParams();
  const code = params.get('ma') ?? '';
  const me = useQuery({ queryKey: keys.me, queryFn: fetchMe, staleTime: 5 * 60_000 });
  const catalog = useQuery({ queryKey: procedureKeys.list, queryFn: fetchCatalog });
  const isAdmin = me.data?.roles.includes('ADMIN') ?? false;

  if (me.isPending) {
    return <PageLoading />;
  }
  return (
    <div className="page">
      <title>{`${t.procedures.form.title} — ${t.app.name}`}</title>
      <p>
        <Link to={code ? `/thu-tuc/${code}` : '/thu-tuc'}>{t.procedures.back}</Link>
      </p>
      <h1 className="page-title">{t.procedures.form.title}</h1>
      {!isAdmin ? (
        <Alert type="warning" showIcon role="alert" title={t.procedures.form.adminOnly} />
      ) : (
        <>
          <p>{t.procedures.form.intro}</p>
          <form className="filters" aria-label={t.procedures.form.picker} onSubmit={(e) => e.preventDefault()}>
            <div className="field field-wide">
              <label htmlFor="publish-code">{t.procedures.form.procedure}</label>
              <select
                id="publish-code"
                value={code}
                onChange={(e) => setParams(e.target.value ? { ma: e.target.value } : {}, { replace: true })}
              >
                <option value="">{t.procedures.form.choose}</option>
                {(catalog.data?.procedures ?? []).map((p) => (
                  <option key={p.code} value={p.code}>
                    {p.code} — {p.name}
                  </option>
                ))}
              </select>
            </div>
          </form>
          {catalog.error && <ProblemAlert error={catalog.error} />}
          {code && <PublishForm key={code} code={code} />}
        </>
      )}
    </div>
  );
}

interface Published {
  code: string;
  versionNo: number;
  replaced: boolean;
}

function PublishForm({ code }: { code: string }) {
  const detail = useQuery({
    queryKey: procedureKeys.detail(code, null),
    queryFn: () => fetchProcedureVersion(code, null),
  });
  const units = useQuery({ queryKey: procedureKeys.units, queryFn: fetchUnitTree, staleTime: 10 * 60_000 });
  const names = useMemo(() => unitNames(units.data?.units ?? []), [units.data]);
  if (detail.isPending) {
    return <PageLoading />;
  }
  if (detail.error) {
    return <ProblemAlert error={detail.error} />;
  }
  const template = templateOf(detail.data);
  if (!template) {
    return <Alert type="info" showIcon title={t.procedures.form.noTemplate} />;
  }
  return <DraftEditor template={template} names={names} currentNo={detail.data.version?.versionNo ?? null} />;
}

function DraftEditor({
  template,
  names,
  currentNo,
}: {
  template: ProcedureDefinition;
  names: Map<string, string>;
  currentNo: number | null;
}) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(template);
  const [dateText, setDateText] = useState(formatIsoDate(template.version.effectiveFrom));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [uploaded, setUploaded] = useState<string | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [published, setPublished] = useState<Published | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const byField = useMemo(() => groupErrors(errors), [errors]);
  const shown = useMemo(() => new Set(shownPaths(draft)), [draft]);
  const others = errors.filter(
    (e) => ![...shown].some((p) => e.field === p || e.field.startsWith(`${p}.`) || e.field.startsWith(`${p}[`)),
  );

  const publish = useMutation({
    mutationFn: (definition: ProcedureDefinition) => publishProcedure(definition),
    onSuccess: async (answer) => {
      setErrors([]);
      setPublished(answer);
      await queryClient.invalidateQueries({ queryKey: procedureKeys.all });
      await queryClient.invalidateQueries({ queryKey: keys.procedures });
    },
    onError: (error) => {
      setPublished(null);
      setErrors(error instanceof ApiError ? error.errors : []);
    },
  });

  useEffect(() => {
    if (errors.length > 0 || publish.error) {
      summaryRef.current?.focus();
    }
  }, [errors, publish.error]);

  const edit = (path: (string | number)[], value: unknown) => {
    setDraft((d) => setAt(d, path, value));
    setPublished(null);
  };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const own = clientErrors(draft, dateText);
    if (own.length > 0) {
      publish.reset();
      setErrors(own);
      return;
    }
    const definition = setAt(draft, ['version', 'effectiveFrom'], parseVnDate(dateText));
    publish.mutate(definition);
  };

  const upload = async (file: File | undefined) => {
    if (!file) {
      return;
    }
    try {
      const read = await readUpload(file, template.code);
      setDraft(read);
      setDateText(read.version.effectiveFrom ? formatIsoDate(String(read.version.effectiveFrom)) : '');
      setUploaded(file.name);
      setUploadError(null);
      setErrors([]);
      publish.reset();
    } catch (err) {
      setUploadError(err instanceof Error ? err.message : String(err));
    }
  };

  const dateMessages = errorsAt(byField, 'version.effectiveFrom');
  return (
    <>
      {published && (
        <div role="status" className="notice-success">
          {t.procedures.form.published(published.versionNo, published.code)}
          {published.replaced && ` ${t.procedures.form.replaced}`}{' '}
          <Link to={`/thu-tuc/${published.code}?phienBan=${published.versionNo}`}>{t.procedures.form.seeIt}</Link>
        </div>
      )}
      <div ref={summaryRef} tabIndex={-1} className="error-summary-anchor">
        {errors.length > 0 && (
          <Alert
            type="error"
            showIcon
            role="alert"
            style={{ marginBottom: 16 }}
            title={t.procedures.form.notSaved(errors.length)}
            description={
              others.length > 0 ? (
                <ul aria-label={t.procedures.form.otherErrors}>
                  {others.map((e, i) => (
                    <li key={i}>
                      <code>{e.field}</code>: {validatorMessage(e.message)}
                    </li>
                  ))}
                </ul>
              ) : (
                t.procedures.form.seeFields
              )
            }
          />
        )}
        {publish.error && !(publish.error instanceof ApiError && publish.error.status === 422) && (
          <ProblemAlert error={publish.error} />
        )}
      </div>

      <section className="upload" aria-labelledby="upload-heading">
        <h2 id="upload-heading">{t.procedures.form.uploadTitle}</h2>
        <p>{t.procedures.form.uploadIntro}</p>
        <div className="field">
          <label htmlFor="publish-yaml">{t.procedures.form.upload}</label>
          {/* The native input's own words follow the browser's language, not the console's: it is drawn as ours. */}
          <input
            id="publish-yaml"
            className="file-input visually-hidden"
            type="file"
            accept=".yaml,.yml,.json,application/yaml,text/yaml,application/json"
            onChange={(e) => void upload(e.target.files?.[0])}
          />
          <label htmlFor="publish-yaml" className="file-button" aria-hidden="true">
            <span className="file-button-face">{t.procedures.form.chooseFile}</span>{' '}
            <span className="muted">{uploaded ?? t.procedures.form.noFile}</span>
          </label>
        </div>
        {uploaded && (
          <p role="status" className="muted">
            {t.procedures.form.uploaded(uploaded)}
          </p>
        )}
        {uploadError && (
          <Alert type="error" showIcon role="alert" title={t.procedures.form.uploadFailed(uploadError)} />
        )}
      </section>

      <form aria-label={t.procedures.form.formName} onSubmit={submit} noValidate>
        <h2>
          {t.procedures.form.draftOf(draft.code, draft.name)}
          {currentNo !== null && !uploaded && (
            <span className="muted"> — {t.procedures.form.fromVersion(currentNo)}</span>
          )}
        </h2>
        <div className="filters">
          <div className="field">
            <label htmlFor={fieldId('version.effectiveFrom')}>{t.procedures.form.effectiveFrom}</label>
            <input
              id={fieldId('version.effectiveFrom')}
              value={dateText}
              inputMode="numeric"
              aria-invalid={dateMessages.length > 0 || undefined}
              aria-describedby={dateMessages.length > 0 ? `${fieldId('version.effectiveFrom')}-error` : undefined}
              onChange={(e) => setDateText(e.target.value)}
            />
            <FieldErrors path="version.effectiveFrom" messages={dateMessages} />
          </div>
          <div className="field field-wide">
            <label htmlFor={fieldId('version.legalBasis')}>{t.procedures.form.legalBasis}</label>
            <input
              id={fieldId('version.legalBasis')}
              value={draft.version.legalBasis ?? ''}
              onChange={(e) => edit(['version', 'legalBasis'], e.target.value)}
            />
            <FieldErrors path="version.legalBasis" messages={errorsAt(byField, 'version.legalBasis')} />
          </div>
        </div>

        {draft.version.cases.map((c, i) => {
          const base = `version.cases[${i}]`;
          const unitWord = t.procedures.units[c.processingTime.unit] ?? c.processingTime.unit;
          return (
            <fieldset key={c.code} className="case-editor">
              <legend>{t.procedures.caseTitle(c.name, c.code)}</legend>
              <AmountField
                path={`${base}.processingTime`}
                label={t.procedures.form.processingTime(c.name, unitWord)}
                value={c.processingTime.amount}
                errors={byField}
                onChange={(v) => edit(['version', 'cases', i, 'processingTime', 'amount'], v)}
              />
              {c.segments && c.segments.length > 0 ? (
                <>
                  {c.segments.map((seg, j) => (
                    <div key={seg.code} className="segment">
                      <AmountField
                        path={`${base}.segments[${j}].budget`}
                        label={t.procedures.form.segmentBudget(seg.name, t.procedures.units[seg.budget.unit] ?? '')}
                        value={seg.budget.amount}
                        errors={byField}
                        onChange={(v) => edit(['version', 'cases', i, 'segments', j, 'budget', 'amount'], v)}
                      />
                      <StepsEditor
                        steps={seg.steps}
                        base={`${base}.segments[${j}].steps`}
                        caption={t.procedures.stepsOfSegment(seg.name)}
                        names={names}
                        errors={byField}
                        target={Number.isNaN(seg.budget.amount) ? null : seg.budget}
                        what={t.procedures.segmentBudget}
                        onBudget={(k, v) =>
                          edit(['version', 'cases', i, 'segments', j, 'steps', k, 'budget', 'amount'], v)
                        }
                      />
                    </div>
                  ))}
                  <FieldErrors path={`${base}.segments`} messages={errorsAt(byField, `${base}.segments`, false)} />
                </>
              ) : (
                <StepsEditor
                  steps={c.steps}
                  base={`${base}.steps`}
                  caption={t.procedures.stepsOf(c.name)}
                  names={names}
                  errors={byField}
                  target={c.returnsImmediately || Number.isNaN(c.processingTime.amount) ? null : c.processingTime}
                  what={t.procedures.legalTime}
                  onBudget={(k, v) => edit(['version', 'cases', i, 'steps', k, 'budget', 'amount'], v)}
                />
              )}
            </fieldset>
          );
        })}
        <div className="form-actions">
          <Button type="primary" htmlType="submit" loading={publish.isPending}>
            {t.procedures.form.submit}
          </Button>
        </div>
      </form>
    </>
  );
}
