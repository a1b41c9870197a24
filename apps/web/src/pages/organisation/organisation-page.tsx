import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, unwrap } from '../../api/client';
import { type components } from '../../api/schema';
import { PageLoading } from '../../components/page-loading';
import { ProblemAlert } from '../../components/problem-alert';
import { t } from '../../i18n';
import './organisation.css';

type UnitNode = components['schemas']['UnitNodeView'];
type Officer = components['schemas']['OfficerView'];

const organisationKeys = {
  units: ['organisation', 'units'] as const,
  officers: ['organisation', 'officers'] as const,
};

const fetchUnits = () => unwrap(api.GET('/api/v1/units'));
const fetchOfficers = () => unwrap(api.GET('/api/v1/officers'));

/** "Cơ cấu tổ chức": the unit tree, each unit with its head and its officers (read-only). */
export default function OrganisationPage() {
  const units = useQuery({ queryKey: organisationKeys.units, queryFn: fetchUnits });
  const officers = useQuery({ queryKey: organisationKeys.officers, queryFn: fetchOfficers });
  const byUnit = useMemo(() => {
    const map = new Map<string, Officer[]>();
    for (const o of officers.data?.items ?? []) {
      for (const unit of o.unitCodes) {
        map.set(unit, [...(map.get(unit) ?? []), o]);
      }
    }
    return map;
  }, [officers.data]);

  return (
    <div className="page">
      <title>{`${t.organisation.title} — ${t.app.name}`}</title>
      <h1 className="page-title">{t.organisation.title}</h1>
      <p>{t.organisation.intro}</p>
      {officers.error && <ProblemAlert error={officers.error} title={t.organisation.officersFailed} />}
      {units.isPending ? (
        <PageLoading />
      ) : units.error ? (
        <ProblemAlert error={units.error} />
      ) : (
        <ul className="org-tree" aria-label={t.organisation.tree}>
          {units.data.units.map((u) => (
            <UnitItem key={u.code} unit={u} byUnit={byUnit} depth={1} />
          ))}
        </ul>
      )}
    </div>
  );
}

function UnitItem({ unit, byUnit, depth }: { unit: UnitNode; byUnit: Map<string, Officer[]>; depth: number }) {
  const officers = [...(byUnit.get(unit.code) ?? [])].sort((a, b) => a.fullName.localeCompare(b.fullName, 'vi'));
  const headingId = `unit-${unit.code.replace(/\W+/g, '-')}`;
  return (
    <li>
      <section className="org-unit" aria-labelledby={headingId} data-unit-code={unit.code}>
        <div className="org-unit-head">
          <span id={headingId} role="heading" aria-level={Math.min(depth + 1, 6)} className="org-unit-name">
            {unit.name}
          </span>{' '}
          <span className="muted">
            ({unit.code} · {t.organisation.kinds[unit.kind] ?? unit.kind})
          </span>
        </div>
        <p className="org-head" data-testid="unit-head">
          {t.organisation.head}: {unit.head ? <strong>{unit.head.fullName}</strong> : t.organisation.noHead}
        </p>
        {officers.length > 0 && (
          <details>
            <summary>{t.organisation.officers(officers.length)}</summary>
            <ul aria-label={t.organisation.officersOf(unit.name)} className="org-officers">
              {officers.map((o) => (
                <li key={o.id}>
                  {o.fullName} <span className="muted">({o.username})</span> —{' '}
                  {o.roles.map((r) => t.roles[r] ?? r).join(', ')}
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>
      {unit.children.length > 0 && (
        <ul className="org-children">
          {unit.children.map((c) => (
            <UnitItem key={c.code} unit={c} byUnit={byUnit} depth={depth + 1} />
          ))}
        </ul>
      )}
    </li>
  );
}
