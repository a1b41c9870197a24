import { Button } from 'antd';
import { useState } from 'react';
import { formatIsoDate, parseVnDate } from '../../format';
import { t } from '../../i18n';
import { type Period, type Preset, presetPeriod, today } from './period';

/** Preset (month, quarter, year, custom) and the period's anchor or bounds; applying writes the address bar. */
export function PeriodPicker({ period, onChange }: { period: Period; onChange: (p: Period) => void }) {
  const [preset, setPreset] = useState<Preset>(period.preset);
  const [from, setFrom] = useState(formatIsoDate(period.from));
  const [to, setTo] = useState(formatIsoDate(period.to));
  const [anchor, setAnchor] = useState(period.from);
  const [y] = today().split('-').map(Number);
  const options: { value: string; label: string }[] =
    preset === 'year'
      ? [y, y - 1, y - 2, y - 3, y - 4, y - 5, y - 6, y - 7].map((yy) => ({
          value: `${yy}-01-01`,
          label: t.dashboard.yearOption(yy),
        }))
      : preset === 'quarter'
        ? Array.from({ length: 12 }, (_, i) => {
            const k = y * 4 + Math.floor((Number(today().slice(5, 7)) - 1) / 3) - i;
            const q = (k % 4) + 1;
            const yy = Math.floor(k / 4);
            return {
              value: `${yy}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`,
              label: t.dashboard.quarterOption(q, yy),
            };
          })
        : Array.from({ length: 24 }, (_, i) => {
            const k = y * 12 + Number(today().slice(5, 7)) - 1 - i;
            const m = (k % 12) + 1;
            const yy = Math.floor(k / 12);
            return { value: `${yy}-${String(m).padStart(2, '0')}-01`, label: t.dashboard.monthOption(m, yy) };
          });
  const apply = () => {
    if (preset === 'custom') {
      const f = parseVnDate(from);
      const tt = parseVnDate(to);
      if (f && tt) {
        onChange({ preset, from: f, to: tt });
      }
      return;
    }
    const value = options.some((o) => o.value === anchor) ? anchor : options[0].value;
    onChange(presetPeriod(preset, value));
  };
  return (
    <form
      className="filters"
      aria-label={t.dashboard.periodForm}
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <div className="field">
        <label htmlFor="period-preset">{t.dashboard.preset}</label>
        <select id="period-preset" value={preset} onChange={(e) => setPreset(e.target.value as Preset)}>
          {(['month', 'quarter', 'year', 'custom'] as const).map((p) => (
            <option key={p} value={p}>
              {t.dashboard.presets[p]}
            </option>
          ))}
        </select>
      </div>
      {preset === 'custom' ? (
        <>
          <div className="field">
            <label htmlFor="period-from">{t.dashboard.from}</label>
            <input id="period-from" value={from} onChange={(e) => setFrom(e.target.value)} inputMode="numeric" />
          </div>
          <div className="field">
            <label htmlFor="period-to">{t.dashboard.to}</label>
            <input id="period-to" value={to} onChange={(e) => setTo(e.target.value)} inputMode="numeric" />
          </div>
        </>
      ) : (
        <div className="field">
          <label htmlFor="period-anchor">{t.dashboard.anchor}</label>
          <select id="period-anchor" value={anchor} onChange={(e) => setAnchor(e.target.value)}>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field field-actions">
        <Button type="primary" htmlType="submit">
          {t.dashboard.apply}
        </Button>
      </div>
    </form>
  );
}
