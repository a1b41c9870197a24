import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { fetchMe, keys } from '../../api/queries';
import { PageLoading } from '../../components/page-loading';
import { ProblemAlert } from '../../components/problem-alert';
import { formatIsoDate } from '../../format';
import { t } from '../../i18n';
import { fetchCatalog, fetchUnitTree, matchesSearch, procedureKeys, unitNames } from './procedures-api';
import './procedures.css';

/** "Danh mục thủ tục": the catalog, searchable by code, name, field and agency (the search lives in the URL). */
export default function CatalogPage() {
  const [params, setParams] = useSearchParams();
  const query = params.get('q') ?? '';
  const field = params.get('linhVuc') ?? '';
  const catalog = useQuery({ queryKey: procedureKeys.list, queryFn: fetchCatalog });
  const units = useQuery({ queryKey: procedureKeys.units, queryFn: fetchUnitTree, staleTime: 10 * 60_000 });
  const me = useQuery({ queryKey: keys.me, queryFn: fetchMe, staleTime: 5 * 60_000 });
  const names = useMemo(() => unitNames(units.data?.units ?? []), [units.data]);
  const procedures = catalog.data?.procedures ?? [];
  const fields = [...new Set(procedures.map((p) => p.field))].sort((a, b) => a.localeCompare(b, 'vi'));
  const shown = procedures.filter(
    (p) => (!field || p.field === field) && matchesSearch(p, query, names.get(p.resolvingAgency)),
  );
  const isAdmin = me.data?.roles.includes('ADMIN') ?? false;

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) {
      next.set(key, value);
    } else {
      next.delete(key);
    }
    setParams(next, { replace: true });
  };

  return (
    <div className="page">
      <title>{`${t.procedures.title} — ${t.app.name}`}</title>
      <h1 className="page-title">{t.procedures.title}</h1>
      <p>{t.procedures.intro}</p>
      {isAdmin && (
        <p>
          <Link to="/thu-tuc/cong-bo">{t.procedures.publishLink}</Link>
        </p>
      )}
      <form className="filters" aria-label={t.procedures.searchForm} role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="field field-wide">
          <label htmlFor="catalog-q">{t.procedures.search}</label>
          <input id="catalog-q" type="search" value={query} onChange={(e) => set('q', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="catalog-field">{t.procedures.field}</label>
          <select id="catalog-field" value={field} onChange={(e) => set('linhVuc', e.target.value)}>
            <option value="">{t.procedures.allFields}</option>
            {fields.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
      </form>
      {catalog.isPending ? (
        <PageLoading />
      ) : catalog.error ? (
        <ProblemAlert error={catalog.error} />
      ) : (
        <>
          <p role="status" className="muted">
            {t.procedures.count(shown.length, procedures.length)}
          </p>
          <div className="table-scroll">
            <table className="data-table">
              <caption className="visually-hidden">{t.procedures.tableCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.procedures.colCode}</th>
                  <th scope="col">{t.procedures.colName}</th>
                  <th scope="col">{t.procedures.field}</th>
                  <th scope="col">{t.procedures.colAgency}</th>
                  <th scope="col">{t.procedures.colVersion}</th>
                </tr>
              </thead>
              <tbody>
                {shown.length === 0 && (
                  <tr>
                    <td colSpan={5} className="data-table-empty">
                      {t.procedures.none}
                    </td>
                  </tr>
                )}
                {shown.map((p) => {
                  const current = p.versions.find((v) => v.versionNo === p.currentVersion);
                  return (
                    <tr key={p.code}>
                      <td className="nowrap">
                        <Link to={`/thu-tuc/${p.code}`}>{p.code}</Link>
                      </td>
                      <th scope="row">
                        <Link to={`/thu-tuc/${p.code}`}>{p.name}</Link>
                      </th>
                      <td>{p.field}</td>
                      <td>
                        {names.get(p.resolvingAgency) ?? p.resolvingAgency}
                        <div className="muted">{p.resolvingAgency}</div>
                      </td>
                      <td>
                        {current
                          ? t.procedures.versionInForce(current.versionNo, formatIsoDate(current.effectiveFrom))
                          : t.procedures.noVersionInForce}
                        <div className="muted">{t.procedures.versionsCount(p.versions.length)}</div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
