import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { fetchDossiers, keys, performAction } from '../../api/queries';
import { useFallbackPolling } from '../../api/use-live-updates';
import { PageLoading } from '../../components/page-loading';
import { Pager } from '../../components/pager';
import { ProblemAlert } from '../../components/problem-alert';
import { RemainingBand } from '../../components/remaining-band';
import { formatDateTime } from '../../format';
import { t } from '../../i18n';
import { PAGE_SIZE, toListQuery, type WorklistFilters } from './worklist-params';

/** One tab's rows, paged by the server (limit/offset), in the server's order (least remaining working time first). */
export function WorklistTable({ filters, onPage }: { filters: WorklistFilters; onPage: (page: number) => void }) {
  const query = toListQuery(filters);
  const queryClient = useQueryClient();
  const [claimed, setClaimed] = useState<string | null>(null);
  const list = useQuery({
    queryKey: keys.dossierList(query),
    queryFn: () => fetchDossiers(query),
    placeholderData: (previous) => previous,
    refetchInterval: useFallbackPolling(),
  });
  const claim = useMutation({
    mutationFn: (code: string) => performAction(code, 'claim', {}),
    onMutate: () => setClaimed(null),
    onSuccess: (view) => setClaimed(view.code),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.dossiers }),
  });
  const claimable = filters.tab === 'claimable';
  const tabName = claimable ? t.worklist.tabClaimable : t.worklist.tabMine;
  const items = list.data?.items ?? [];
  const filtered =
    Boolean(filters.q || filters.state || filters.procedure || filters.receivedFrom || filters.receivedTo) ||
    filters.overdue ||
    filters.atRisk;

  return (
    <>
      <div role="status" aria-live="polite">
        {claimed && (
          <p className="notice-success">
            {t.worklist.claimed(claimed)} <Link to={`/ho-so/${encodeURIComponent(claimed)}`}>{t.worklist.open}</Link>
          </p>
        )}
      </div>
      {list.error && <ProblemAlert error={list.error} />}
      {claim.error && <ProblemAlert error={claim.error} title={`${t.worklist.claim} ${claim.variables ?? ''}`} />}
      {list.isPending ? (
        <PageLoading />
      ) : (
        <div className="table-scroll">
          <table className="data-table" aria-busy={list.isFetching}>
            <caption className="visually-hidden">{t.worklist.tableCaption(tabName)}</caption>
            <thead>
              <tr>
                <th scope="col">{t.worklist.colCode}</th>
                <th scope="col">{t.worklist.colProcedure}</th>
                <th scope="col">{t.worklist.colApplicant}</th>
                <th scope="col">{t.worklist.colStep}</th>
                <th scope="col">{t.worklist.colReceived}</th>
                <th scope="col">{t.worklist.colDue}</th>
                <th scope="col">{t.worklist.colRemaining}</th>
                {claimable && <th scope="col">{t.worklist.colAction}</th>}
              </tr>
            </thead>
            <tbody>
              {items.length === 0 && (
                <tr>
                  <td colSpan={claimable ? 8 : 7} className="data-table-empty">
                    {filtered ? t.worklist.emptyFiltered : claimable ? t.worklist.emptyClaimable : t.worklist.emptyMine}
                  </td>
                </tr>
              )}
              {items.map((d) => (
                <tr key={d.code}>
                  <th scope="row">
                    <Link to={`/ho-so/${encodeURIComponent(d.code)}`}>{d.code}</Link>
                  </th>
                  <td>
                    <div>{d.procedureName ?? d.procedureCode}</div>
                    <div className="muted">{d.procedureCode}</div>
                  </td>
                  <td>
                    <div>{d.applicantName}</div>
                    <div className="muted">{d.applicantIdNumber}</div>
                  </td>
                  <td>{d.currentStepName ?? t.states[d.state] ?? d.state}</td>
                  <td className="nowrap">{formatDateTime(d.receivedAt)}</td>
                  <td className="nowrap">{formatDateTime(d.dueAt)}</td>
                  <td>
                    <RemainingBand remaining={d.remaining} />
                  </td>
                  {claimable && (
                    <td>
                      <Button
                        type="primary"
                        loading={claim.isPending && claim.variables === d.code}
                        disabled={claim.isPending}
                        onClick={() => claim.mutate(d.code)}
                      >
                        {t.worklist.claim}
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={filters.page} pageSize={PAGE_SIZE} total={list.data?.total ?? 0} onPage={onPage} />
    </>
  );
}
