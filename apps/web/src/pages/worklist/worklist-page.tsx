import { useSearchParams } from 'react-router';
import { Tabs } from '../../components/tabs';
import { t } from '../../i18n';
import { WorklistFiltersBar } from './worklist-filters';
import { readFilters, type WorklistFilters, writeFilters } from './worklist-params';
import { WorklistTable } from './worklist-table';

/** "Hồ sơ cần xử lý": the caller's dossiers ("Của tôi") and the ones they may claim ("Chờ nhận"). */
export default function WorklistPage() {
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const update = (next: Partial<WorklistFilters>) => setParams(writeFilters({ ...filters, ...next }));

  return (
    <div className="page">
      <title>{`${t.worklist.title} — ${t.app.name}`}</title>
      <h1 className="page-title">{t.worklist.title}</h1>
      <WorklistFiltersBar filters={filters} onChange={update} />
      <Tabs
        id="worklist"
        label={t.worklist.tabsLabel}
        active={filters.tab}
        onChange={(tab) => update({ tab, page: 1 })}
        items={[
          { key: 'mine', label: t.worklist.tabMine },
          { key: 'claimable', label: t.worklist.tabClaimable },
        ]}
      >
        <WorklistTable filters={filters} onPage={(page) => update({ page })} />
      </Tabs>
    </div>
  );
}
