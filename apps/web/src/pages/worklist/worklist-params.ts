import { type DossierListQuery } from '../../api/types';

export type WorklistTab = 'mine' | 'claimable';

export interface WorklistFilters {
  tab: WorklistTab;
  q: string;
  state: string;
  procedure: string;
  receivedFrom: string;
  receivedTo: string;
  overdue: boolean;
  atRisk: boolean;
  page: number;
}

export const PAGE_SIZE = 20;

type StateFilter = NonNullable<DossierListQuery['state']>;

/** The states a worklist can be filtered by (the open ones). */
export const STATE_FILTERS: StateFilter[] = [
  'RECEIVED',
  'IN_PROGRESS',
  'AWAITING_SUPPLEMENT',
  'AWAITING_PAYMENT',
  'READY_FOR_RETURN',
];

const asStateFilter = (value: string): StateFilter | undefined => STATE_FILTERS.find((s) => s === value);

/** The worklist's state lives in the address bar (never the token), so a reload or a shared link keeps it. */
export function readFilters(params: URLSearchParams): WorklistFilters {
  const page = Number(params.get('trang') ?? '1');
  return {
    tab: params.get('tab') === 'cho-nhan' ? 'claimable' : 'mine',
    q: params.get('q') ?? '',
    state: params.get('trangThai') ?? '',
    procedure: params.get('thuTuc') ?? '',
    receivedFrom: params.get('tuNgay') ?? '',
    receivedTo: params.get('denNgay') ?? '',
    overdue: params.get('quaHan') === '1',
    atRisk: params.get('sapHan') === '1',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export function writeFilters(f: WorklistFilters): URLSearchParams {
  const p = new URLSearchParams();
  const set = (key: string, value: string | boolean | number, skip: string | boolean | number) => {
    if (value !== skip) {
      p.set(key, typeof value === 'boolean' ? '1' : String(value));
    }
  };
  set('tab', f.tab === 'claimable' ? 'cho-nhan' : 'cua-toi', 'cua-toi');
  set('q', f.q, '');
  set('trangThai', f.state, '');
  set('thuTuc', f.procedure, '');
  set('tuNgay', f.receivedFrom, '');
  set('denNgay', f.receivedTo, '');
  set('quaHan', f.overdue, false);
  set('sapHan', f.atRisk, false);
  set('trang', f.page, 1);
  return p;
}

/** The API query of a worklist tab with its filters and page. */
export function toListQuery(f: WorklistFilters): DossierListQuery {
  return {
    ...(f.tab === 'mine' ? { assignedTo: 'me' } : { claimable: true }),
    ...(f.q ? { q: f.q } : {}),
    ...(asStateFilter(f.state) ? { state: asStateFilter(f.state) } : {}),
    ...(f.procedure ? { procedure: f.procedure } : {}),
    ...(f.receivedFrom ? { receivedFrom: f.receivedFrom } : {}),
    ...(f.receivedTo ? { receivedTo: f.receivedTo } : {}),
    ...(f.overdue ? { overdue: true } : {}),
    ...(f.atRisk ? { atRisk: true } : {}),
    limit: PAGE_SIZE,
    offset: (f.page - 1) * PAGE_SIZE,
  };
}
