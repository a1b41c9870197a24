import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { fetchMe, keys } from '../../api/queries';
import { PageLoading } from '../../components/page-loading';
import { ProblemAlert } from '../../components/problem-alert';
import { formatDateTime, formatIsoDate, formatNumber, isoDateIn } from '../../format';
import { t } from '../../i18n';
import { CaseView } from './procedure-flow';
import { fetchProcedureVersion, fetchUnitTree, procedureKeys, unitNames } from './procedures-api';
import './procedures.css';

/** A procedure: its versions, and one version (in force today, or ?phienBan=) with every case in full. */
export default function ProcedurePage() {
  const { code = '' } = useParams();
  const [params] = useSearchParams();
  const asked = params.get('phienBan');
  const versionNo = asked && /^\d+$/.test(asked) ? Number(asked) : null;
  const detail = useQuery({
    queryKey: procedureKeys.detail(code, versionNo),
    queryFn: () => fetchProcedureVersion(code, versionNo),
  });
  const units = useQuery({ queryKey: procedureKeys.units, queryFn: fetchUnitTree, staleTime: 10 * 60_000 });
  const me = useQuery({ queryKey: keys.me, queryFn: fetchMe, staleTime: 5 * 60_000 });
  const names = useMemo(() => unitNames(units.data?.units ?? []), [units.data]);
  const isAdmin = me.data?.roles.includes('ADMIN') ?? false;

  if (detail.isPending) {
    return <PageLoading />;
  }
  if (detail.error) {
    return (
      <div className="page">
        <p>
          <Link to="/thu-tuc">{t.procedures.back}</Link>
        </p>
        <ProblemAlert error={detail.error} />
      </div>
    );
  }
  const p = detail.data;
  const shown = p.version;
  const inForceNo = detail.data.versions
    .filter((v) => v.effectiveFrom <= isoDateIn(new Date()))
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0]?.versionNo;
  const versions = [...p.versions].sort((a, b) => b.versionNo - a.versionNo);

  return (
    <div className="page procedure-page">
      <title>{`${p.code} — ${t.procedures.title} — ${t.app.name}`}</title>
      <p>
        <Link to="/thu-tuc">{t.procedures.back}</Link>
      </p>
      <h1 className="page-title">{p.name}</h1>
      <dl className="facts">
        <div>
          <dt>{t.procedures.colCode}</dt>
          <dd>
            {p.code}
            {p.localCode && <span className="muted"> ({p.localCode})</span>}
          </dd>
        </div>
        <div>
          <dt>{t.procedures.field}</dt>
          <dd>{p.field}</dd>
        </div>
        <div>
          <dt>{t.procedures.level}</dt>
          <dd>{t.procedures.levels[p.level] ?? p.level}</dd>
        </div>
        <div>
          <dt>{t.procedures.colAgency}</dt>
          <dd>
            {names.get(p.resolvingAgency) ?? p.resolvingAgency} <span className="muted">({p.resolvingAgency})</span>
          </dd>
        </div>
      </dl>
      {isAdmin && (
        <p>
          <Link to={`/thu-tuc/cong-bo?ma=${p.code}`}>{t.procedures.publishFor(p.code)}</Link>
        </p>
      )}

      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading">{t.procedures.versions}</h2>
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">{t.procedures.versions}</caption>
            <thead>
              <tr>
                <th scope="col">{t.procedures.colVersion}</th>
                <th scope="col">{t.procedures.colEffective}</th>
                <th scope="col">{t.procedures.colLegalBasis}</th>
                <th scope="col">{t.procedures.colPublished}</th>
                <th scope="col">{t.procedures.colDossiers}</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.id} aria-current={v.versionNo === shown?.versionNo ? 'true' : undefined}>
                  <th scope="row" className="nowrap">
                    {v.versionNo === shown?.versionNo ? (
                      <strong>{t.procedures.versionNo(v.versionNo)}</strong>
                    ) : (
                      <Link to={`/thu-tuc/${p.code}?phienBan=${v.versionNo}`}>
                        {t.procedures.versionNo(v.versionNo)}
                      </Link>
                    )}
                    {v.versionNo === inForceNo && <span className="tag-in-force">{t.procedures.inForce}</span>}
                    {v.effectiveFrom > isoDateIn(new Date()) && (
                      <span className="tag-future">{t.procedures.future}</span>
                    )}
                  </th>
                  <td>{formatIsoDate(v.effectiveFrom)}</td>
                  <td>{v.legalBasis ?? '—'}</td>
                  <td>{formatDateTime(v.createdAt)}</td>
                  <td>{formatNumber(v.dossiersUsing, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {shown ? (
        <section aria-labelledby="version-heading">
          <h2 id="version-heading">
            {t.procedures.versionHeading(shown.versionNo, formatIsoDate(shown.effectiveFrom))}
            {shown.versionNo === inForceNo && ` — ${t.procedures.inForce}`}
          </h2>
          {shown.definition.legalBasis && (
            <p>
              {t.procedures.colLegalBasis}: {shown.definition.legalBasis}
            </p>
          )}
          {shown.definition.cases.map((c) => (
            <CaseView key={c.code} c={c} names={names} headingLevel={3} />
          ))}
        </section>
      ) : (
        <p role="status">{t.procedures.noVersionInForce}</p>
      )}
    </div>
  );
}
