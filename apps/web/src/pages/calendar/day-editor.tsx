import { Button, Input, Radio } from 'antd';
import { type FormEvent, useState } from 'react';
import { formatIsoDate, parseVnDate } from '../../format';
import { t } from '../../i18n';
import { type CalendarDay, type CalendarDraft } from './calendar-api';

type Kind = 'holiday' | 'makeup';

/** The form that adds a holiday or a make-up day to the draft; a day picked on the year view fills its date. */
export function AddDayForm({
  year,
  draft,
  date,
  setDate,
  onChange,
}: {
  year: number;
  draft: CalendarDraft;
  /** The date field's text (the year view fills it when a day is picked). */
  date: string;
  setDate: (text: string) => void;
  onChange: (next: CalendarDraft) => void;
}) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('holiday');
  const [tried, setTried] = useState(false);

  const iso = parseVnDate(date);
  const dateError = iso === null || !iso.startsWith(`${year}-`) ? t.calendar.dateInvalid(year) : null;
  const listed = iso && [...draft.holidays, ...draft.makeupWorkdays].some((d) => d.date === iso);
  const nameError = name.trim() ? null : t.calendar.dayNameRequired;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (dateError || nameError || listed || !iso) {
      return;
    }
    const day: CalendarDay = { date: iso, name: name.trim() };
    const sorted = (days: CalendarDay[]) => [...days, day].sort((a, b) => a.date.localeCompare(b.date));
    onChange(
      kind === 'holiday'
        ? { ...draft, holidays: sorted(draft.holidays) }
        : { ...draft, makeupWorkdays: sorted(draft.makeupWorkdays) },
    );
    setTried(false);
    setDate('');
    setName('');
  };

  const showDateError = tried && (dateError ?? (listed ? t.calendar.alreadyListed(date) : null));
  return (
    <form className="cal-add" aria-label={t.calendar.editor} onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor="cal-date">{t.calendar.date}</label>
        <input
          id="cal-date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
          placeholder="dd/mm/yyyy"
          inputMode="numeric"
          aria-invalid={showDateError ? true : undefined}
          aria-describedby="cal-date-hint cal-date-error"
        />
        <span id="cal-date-hint" className="muted">
          {t.calendar.dateHint}
        </span>
        <span id="cal-date-error" className="field-error">
          {showDateError || ''}
        </span>
      </div>
      <div className="field field-wide">
        <label htmlFor="cal-name">{t.calendar.dayName}</label>
        <input
          id="cal-name"
          value={name}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={tried && nameError ? true : undefined}
          aria-describedby="cal-name-error"
        />
        <span id="cal-name-error" className="field-error">
          {tried && nameError ? nameError : ''}
        </span>
      </div>
      <div className="field">
        <span id="cal-kind-label">{t.calendar.kind}</span>
        <Radio.Group
          aria-labelledby="cal-kind-label"
          value={kind}
          onChange={(e) => setKind(e.target.value as Kind)}
          options={[
            { value: 'holiday', label: t.calendar.kinds.holiday },
            { value: 'makeup', label: t.calendar.kinds.makeup },
          ]}
        />
      </div>
      <div className="field">
        <Button htmlType="submit">{t.calendar.add}</Button>
      </div>
    </form>
  );
}

/** One of the scope's own lists (holidays or make-up days), each day with a button that takes it out of the draft. */
export function OwnDaysTable({
  title,
  kindLabel,
  days,
  onRemove,
}: {
  title: string;
  kindLabel: string;
  days: readonly CalendarDay[];
  onRemove: (date: string) => void;
}) {
  return (
    <table className="data-table cal-own">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{t.calendar.colDate}</th>
          <th scope="col">{t.calendar.colName}</th>
          <th scope="col">{t.calendar.colAction}</th>
        </tr>
      </thead>
      <tbody>
        {days.length === 0 ? (
          <tr>
            <td colSpan={3} className="data-table-empty">
              {t.calendar.noDays}
            </td>
          </tr>
        ) : (
          days.map((d) => (
            <tr key={d.date}>
              <td className="nowrap">{formatIsoDate(d.date)}</td>
              <td>{d.name}</td>
              <td>
                <Button
                  size="small"
                  aria-label={t.calendar.remove(kindLabel, formatIsoDate(d.date))}
                  onClick={() => onRemove(d.date)}
                >
                  {t.calendar.removeShort}
                </Button>
              </td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

/** The legal basis of the edit (optional), kept with the saved year and named in the dossiers' ledgers. */
export function LegalBasisField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <div className="field field-wide">
      <label htmlFor="cal-basis">{t.calendar.legalBasis}</label>
      <Input id="cal-basis" value={value} maxLength={500} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}
