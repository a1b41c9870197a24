import { useQuery } from '@tanstack/react-query';
import { Button } from 'antd';
import { type FormEvent, useState } from 'react';
import { fetchProcedures, keys } from '../../api/queries';
import { formatIsoDate, parseVnDate } from '../../format';
import { t } from '../../i18n';
import { STATE_FILTERS, type WorklistFilters } from './worklist-params';

/**
 * Search and filters, in plain form controls (the worklist's first load stays small): the search and the dates
 * apply on "Lọc" or Enter, the lists and boxes at once. Every change goes back to the first page.
 */
export function WorklistFiltersBar({
  filters,
  onChange,
}: {
  filters: WorklistFilters;
  onChange: (next: Partial<WorklistFilters>) => void;
}) {
  const procedures = useQuery({ queryKey: keys.procedures, queryFn: fetchProcedures, staleTime: 10 * 60_000 });
  const [q, setQ] = useState(filters.q);
  const [from, setFrom] = useState(formatIsoDate(filters.receivedFrom));
  const [to, setTo] = useState(formatIsoDate(filters.receivedTo));
  const fromIso = from.trim() ? parseVnDate(from) : '';
  const toIso = to.trim() ? parseVnDate(to) : '';
  const change = (next: Partial<WorklistFilters>) => onChange({ ...next, page: 1 });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (fromIso === null || toIso === null) {
      return;
    }
    change({ q: q.trim(), receivedFrom: fromIso, receivedTo: toIso });
  };

  const clear = () => {
    setQ('');
    setFrom('');
    setTo('');
    change({ q: '', state: '', procedure: '', receivedFrom: '', receivedTo: '', overdue: false, atRisk: false });
  };

  return (
    <form className="filters no-print" aria-label={t.worklist.filters} onSubmit={submit}>
      <div className="field field-wide">
        <label htmlFor="worklist-q">{t.worklist.search}</label>
        <input id="worklist-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} maxLength={100} />
      </div>
      <div className="field">
        <label htmlFor="worklist-state">{t.worklist.state}</label>
        <select id="worklist-state" value={filters.state} onChange={(e) => change({ state: e.target.value })}>
          <option value="">{t.worklist.anyState}</option>
          {STATE_FILTERS.map((s) => (
            <option key={s} value={s}>
              {t.states[s] ?? s}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-wide">
        <label htmlFor="worklist-procedure">{t.worklist.procedure}</label>
        <select
          id="worklist-procedure"
          value={filters.procedure}
          onChange={(e) => change({ procedure: e.target.value })}
        >
          <option value="">{t.worklist.anyProcedure}</option>
          {(procedures.data?.procedures ?? []).map((p) => (
            <option key={p.code} value={p.code}>
              {p.code} — {p.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="worklist-from">{t.worklist.receivedFrom}</label>
        <input
          id="worklist-from"
          value={from}
          placeholder={t.worklist.datePlaceholder}
          inputMode="numeric"
          aria-invalid={fromIso === null}
          aria-describedby={fromIso === null ? 'worklist-from-error' : undefined}
          onChange={(e) => setFrom(e.target.value)}
          size={11}
        />
        {fromIso === null && (
          <span id="worklist-from-error" className="field-error">
            {t.worklist.dateInvalid}
          </span>
        )}
      </div>
      <div className="field">
        <label htmlFor="worklist-to">{t.worklist.receivedTo}</label>
        <input
          id="worklist-to"
          value={to}
          placeholder={t.worklist.datePlaceholder}
          inputMode="numeric"
          aria-invalid={toIso === null}
          aria-describedby={toIso === null ? 'worklist-to-error' : undefined}
          onChange={(e) => setTo(e.target.value)}
          size={11}
        />
        {toIso === null && (
          <span id="worklist-to-error" className="field-error">
            {t.worklist.dateInvalid}
          </span>
        )}
      </div>
      <div className="field field-checks">
        <label>
          <input type="checkbox" checked={filters.overdue} onChange={(e) => change({ overdue: e.target.checked })} />{' '}
          {t.worklist.overdue}
        </label>
        <label>
          <input type="checkbox" checked={filters.atRisk} onChange={(e) => change({ atRisk: e.target.checked })} />{' '}
          {t.worklist.atRisk}
        </label>
      </div>
      <div className="field field-actions">
        <Button type="primary" htmlType="submit">
          {t.worklist.apply}
        </Button>
        <Button onClick={clear}>{t.worklist.clearFilters}</Button>
      </div>
    </form>
  );
}
