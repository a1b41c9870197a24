import { Button } from 'antd';
import { formatNumber } from '../format';
import { t } from '../i18n';

/** Previous / next and a few page numbers around the current one: server-side paging by limit and offset. */
export function Pager({
  page,
  pageSize,
  total,
  onPage,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const around = [...new Set([1, page - 1, page, page + 1, pages])].filter((p) => p >= 1 && p <= pages);
  return (
    <nav aria-label={t.pager.label} className="pager">
      <span className="pager-total">{t.worklist.total(formatNumber(total))}</span>
      <Button disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t.pager.previous}
      </Button>
      {around.map((p, i) => (
        <span key={p}>
          {i > 0 && p - around[i - 1] > 1 && <span aria-hidden="true">…</span>}
          <Button
            type={p === page ? 'primary' : 'default'}
            aria-current={p === page ? 'page' : undefined}
            aria-label={t.pager.page(p)}
            onClick={() => onPage(p)}
          >
            {p}
          </Button>
        </span>
      ))}
      <Button disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t.pager.next}
      </Button>
    </nav>
  );
}
