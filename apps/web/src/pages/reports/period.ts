import { isoDateIn } from '../../format';

/** A report period as the address bar keeps it (`?ky=thang&moc=2026-12-01` or `?ky=tuy-chon&tuNgay=…&denNgay=…`). */
export type Preset = 'month' | 'quarter' | 'year' | 'custom';

export interface Period {
  preset: Preset;
  from: string;
  to: string;
}

const PRESET_PARAM: Record<Preset, string> = { month: 'thang', quarter: 'quy', year: 'nam', custom: 'tuy-chon' };
const ISO = /^\d{4}-\d{2}-\d{2}$/;

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The period of a preset containing a day (YYYY-MM-DD). */
export function presetPeriod(preset: Exclude<Preset, 'custom'>, day: string): Period {
  const [y, m] = day.split('-').map(Number);
  if (preset === 'year') {
    return { preset, from: `${y}-01-01`, to: `${y}-12-31` };
  }
  const first = preset === 'quarter' ? Math.floor((m - 1) / 3) * 3 + 1 : m;
  const last = preset === 'quarter' ? first + 2 : m;
  return { preset, from: `${y}-${pad(first)}-01`, to: `${y}-${pad(last)}-${pad(lastDay(y, last))}` };
}

/** Today in the deployment's zone. */
export const today = (): string => isoDateIn(new Date());

export function readPeriod(params: URLSearchParams): Period {
  const preset = (Object.keys(PRESET_PARAM) as Preset[]).find((p) => PRESET_PARAM[p] === params.get('ky')) ?? 'month';
  if (preset === 'custom') {
    const from = params.get('tuNgay') ?? '';
    const to = params.get('denNgay') ?? '';
    if (ISO.test(from) && ISO.test(to)) {
      return { preset, from, to };
    }
    return presetPeriod('month', today());
  }
  const anchor = params.get('moc');
  return presetPeriod(preset, anchor && ISO.test(anchor) ? anchor : today());
}

/** The address-bar form of a period (and of a unit, when one is chosen). */
export function periodParams(period: Period, unit?: string): Record<string, string> {
  const out: Record<string, string> =
    period.preset === 'custom'
      ? { ky: PRESET_PARAM.custom, tuNgay: period.from, denNgay: period.to }
      : { ky: PRESET_PARAM[period.preset], moc: period.from };
  if (unit) {
    out.donVi = unit;
  }
  return out;
}

/** The last `n` months ending with the one `to` falls in, oldest first. */
export function monthsEnding(to: string, n: number): Period[] {
  const [y, m] = to.split('-').map(Number);
  return Array.from({ length: n }, (_, i) => {
    const k = y * 12 + (m - 1) - (n - 1 - i);
    return presetPeriod('month', `${Math.floor(k / 12)}-${pad((k % 12) + 1)}-01`);
  });
}
