import { type DossierView } from '../../api/types';
import { budgetWorkingMs, formatRemaining, usedFraction } from '../../format';
import { t } from '../../i18n';
import { bandColours } from '../../theme';

/** The share of the dossier's working time already used, in the colour of its band, with the words beside it. */
export function RemainingBar({ dossier }: { dossier: Pick<DossierView, 'remaining' | 'deadline'> }) {
  const remaining = dossier.remaining;
  if (!remaining) {
    // On its own line under the label, as the bar is (inline, it ran into the label's last word).
    return <div>{formatRemaining(null)}</div>;
  }
  const budget = budgetWorkingMs(dossier.deadline.budget);
  const percent = Math.round(usedFraction(remaining.workingMs, budget ?? 0) * 100);
  const colours = bandColours[remaining.band] ?? bandColours.ON_TRACK;
  const words = formatRemaining(remaining);
  return (
    <div>
      <div
        role="progressbar"
        aria-label={t.dossier.remainingBar}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}% — ${words}`}
        style={{ height: 14, background: '#e5e7eb', borderRadius: 7, overflow: 'hidden', maxWidth: 480 }}
      >
        <div style={{ width: `${percent}%`, height: '100%', background: colours.background }} />
      </div>
      <div style={{ marginTop: 6, display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'center' }}>
        <span className="band-tag" style={colours}>
          {t.bands[remaining.band]}
        </span>
        <strong>{words}</strong>
      </div>
    </div>
  );
}
