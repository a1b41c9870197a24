import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { PageLoading } from '../../components/page-loading';
import { Pager } from '../../components/pager';
import { ProblemAlert } from '../../components/problem-alert';
import { formatDateTime, formatIsoDate, formatNumber } from '../../format';
import { t } from '../../i18n';
import { periodParams, readPeriod } from './period';
import { fetchProgressDossiers, type Figure, reportKeys } from './report-api';

const PAGE_SIZE = 50;

/** The dossiers behind one dashboard figure (`/bang-dieu-khien/ho-so?chiSo=late&…`): its total equals the figure. */
export default function FigureListPage() {
  const [params, setParams] = useSearchParams();
  const period = readPeriod(params);
  const unit = params.get('donVi') ?? undefined;
  const figure = (params.get('chiSo') ?? 'total') as Figure;
  const page = Math.max(1, Number(params.get('trang') ?? '1') || 1);
  const label = t.figureList.figures[figure] ?? figure;
  const q = { from: period.from, to: period.to, figure, offset: (page - 1) * PAGE_SIZE, ...(unit ? { unit } : {}) };
  const list = useQuery({
    queryKey: reportKeys.dossiers(q),
    queryFn: () => fetchProgressDossiers({ ...q, limit: PAGE_SIZE }),
    placeholderData: (previous) => previous,
  });
  const periodText = t.dashboard.periodLabel(formatIsoDate(period.from), formatIsoDate(period.to));
  const back = `/bang-dieu-khien?${new URLSearchParams(periodParams(period, unit)).toString()}`;
  return (
    <div className="page">
      <title>{`${t.figureList.title(label)} — ${t.app.name}`}</title>
      <p>
        <Link to={back}>{t.figureList.back}</Link>
      </p>
      <h1 className="page-title">{t.figureList.title(label)}</h1>
      <p className="page-intro">
        {list.data ? `${list.data.unit.name} — ` : ''}
        {periodText}
      </p>
      {list.error && <ProblemAlert error={list.error} />}
      {list.isPending ? (
        <PageLoading />
      ) : (
        list.data && (
          <>
            <p role="status" data-testid="figure-total">
              {t.figureList.total(formatNumber(list.data.total))}
            </p>
            <div className="table-scroll">
              <table className="data-table" aria-busy={list.isFetching}>
                <caption className="visually-hidden">{t.figureList.caption(label, periodText)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.figureList.colCode}</th>
                    <th scope="col">{t.figureList.colProcedure}</th>
                    <th scope="col">{t.figureList.colUnit}</th>
                    <th scope="col">{t.figureList.colChannel}</th>
                    <th scope="col">{t.figureList.colReceived}</th>
                    <th scope="col">{t.figureList.colDue}</th>
                    <th scope="col">{t.figureList.colFinished}</th>
                    <th scope="col">{t.figureList.colBucket}</th>
                    <th scope="col">{t.figureList.colHolder}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.length === 0 && (
                    <tr>
                      <td colSpan={9} className="data-table-empty">
                        {t.figureList.empty}
                      </td>
                    </tr>
                  )}
                  {list.data.items.map((d) => (
                    <tr key={d.code}>
                      <th scope="row">
                        <Link to={`/ho-so/${encodeURIComponent(d.code)}`}>{d.code}</Link>
                      </th>
                      <td>{d.procedure.name}</td>
                      <td>{d.unitCode}</td>
                      <td>{t.figureList.channels[d.channel] ?? d.channel}</td>
                      <td>{formatDateTime(d.receivedAt)}</td>
                      <td>{formatDateTime(d.dueAt)}</td>
                      <td>{formatDateTime(d.finishedAt)}</td>
                      <td>{t.figureList.buckets[d.bucket] ?? d.bucket}</td>
                      <td>{d.holderName ?? t.app.dash}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              page={page}
              pageSize={PAGE_SIZE}
              total={list.data.total}
              onPage={(p) => {
                const next = new URLSearchParams(params);
                next.set('trang', String(p));
                setParams(next);
              }}
            />
          </>
        )
      )}
    </div>
  );
}
