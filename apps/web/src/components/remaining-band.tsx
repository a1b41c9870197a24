import { formatRemaining, type RemainingLike } from '../format';
import { t } from '../i18n';
import { bandColours } from '../theme';

export interface RemainingWithBand extends RemainingLike {
  band?: string;
}

/** The band label in its colour, and the remaining working time in words beside it (never colour alone). */
export function RemainingBand({ remaining }: { remaining: RemainingWithBand | null | undefined }) {
  const band = remaining?.band;
  const colours = band ? bandColours[band] : undefined;
  return (
    <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 6, alignItems: 'center' }}>
      {band && colours && (
        <span className="band-tag" style={colours}>
          {t.bands[band as keyof typeof t.bands] ?? band}
        </span>
      )}
      <span>{formatRemaining(remaining)}</span>
    </span>
  );
}
