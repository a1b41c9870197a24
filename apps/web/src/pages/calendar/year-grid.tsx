import { formatIsoDate } from '../../format';
import { t } from '../../i18n';
import { dayLabel, type DayStatus, monthDates, weekdayIndex } from './calendar-days';

const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);

/** The weeks of a month, Monday first, padded with empty cells. */
function weeksOf(year: number, month: number): (string | null)[][] {
  const dates = monthDates(year, month);
  const cells: (string | null)[] = [...Array<null>(weekdayIndex(dates[0])).fill(null), ...dates];
  while (cells.length % 7 !== 0) {
    cells.push(null);
  }
  return Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
}

function DayCell({
  status,
  selected,
  onPick,
}: {
  status: DayStatus;
  selected: boolean;
  onPick: (date: string) => void;
}) {
  const mark =
    status.kind === 'holiday' ? t.calendar.marks.holiday : status.kind === 'makeup' ? t.calendar.marks.makeup : '';
  const classes = [
    'cal-day',
    `cal-${status.kind}`,
    status.inherited ? 'cal-inherited' : '',
    status.pending ? 'cal-pending' : '',
    selected ? 'cal-selected' : '',
  ];
  return (
    <>
      <button
        type="button"
        className={classes.filter(Boolean).join(' ')}
        aria-label={dayLabel(status)}
        aria-pressed={selected}
        title={dayLabel(status)}
        // The date field is the keyboard's way in: 365 tab stops would bury the form.
        tabIndex={-1}
        onClick={() => onPick(status.date)}
      >
        {Number(status.date.slice(8))}
      </button>
      {/* Beside the button, not in it: its visible text stays the day's number, which its name starts with. */}
      {(mark || status.pending) && (
        <span className={`cal-mark cal-mark-${status.kind}`} aria-hidden="true">
          {mark}
          {status.pending ? t.calendar.marks.pending : ''}
        </span>
      )}
    </>
  );
}

/** Twelve month tables; each day a button named by its date and status (weekend, named holiday, make-up day). */
export function YearGrid({
  year,
  statuses,
  selected,
  onPick,
}: {
  year: number;
  statuses: Map<string, DayStatus>;
  selected: string | null;
  onPick: (date: string) => void;
}) {
  return (
    <div className="cal-year">
      {MONTHS.map((month) => (
        <table key={month} className="cal-month">
          <caption>{t.calendar.month(month, year)}</caption>
          <thead>
            <tr>
              {t.calendar.weekdaysShort.map((d, i) => (
                <th key={d} scope="col" className={i >= 5 ? 'cal-weekend-head' : undefined}>
                  <abbr title={t.calendar.weekdays[i]}>{d}</abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeksOf(year, month).map((week, w) => (
              <tr key={w}>
                {week.map((date, i) => {
                  const status = date ? statuses.get(date) : undefined;
                  return (
                    <td key={date ?? `empty-${i}`} className="cal-cell">
                      {status && <DayCell status={status} selected={selected === date} onPick={onPick} />}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}

/** What each style means, in words and with a sample of the style (so colour is never the only cue). */
export function YearLegend() {
  const items: [string, string, string][] = [
    ['cal-working', '', t.calendar.kinds.working],
    ['cal-weekend', '', t.calendar.kinds.weekend],
    ['cal-holiday', t.calendar.marks.holiday, t.calendar.kinds.holiday],
    ['cal-makeup', t.calendar.marks.makeup, t.calendar.kinds.makeup],
    ['cal-working cal-pending', t.calendar.marks.pending, t.calendar.legendPending],
  ];
  return (
    <ul className="cal-legend" aria-label={t.calendar.legend}>
      {items.map(([cls, mark, label]) => (
        <li key={label}>
          <span className="cal-cell" aria-hidden="true">
            <span className={`cal-day cal-sample ${cls}`}>1</span>
            {mark && <span className={`cal-mark cal-mark-${cls.split(' ')[0].slice(4)}`}>{mark}</span>}
          </span>
          {label}
        </li>
      ))}
    </ul>
  );
}

/** Every holiday and make-up day of the year by name, so the names are on the page and not only in tooltips. */
export function NamedDaysList({ statuses }: { statuses: Map<string, DayStatus> }) {
  const named = [...statuses.values()].filter((s) => s.kind === 'holiday' || s.kind === 'makeup');
  return (
    <ul className="cal-named" aria-label={t.calendar.namedDays}>
      {named.map((s) => (
        <li key={s.date}>
          <span className="nowrap">{formatIsoDate(s.date)}</span> — {t.calendar.kinds[s.kind]}: {s.name}
          {s.inherited ? ` (${t.calendar.inherited})` : ''}
          {s.pending ? ` (${t.calendar.pendingAdded})` : ''}
        </li>
      ))}
    </ul>
  );
}
