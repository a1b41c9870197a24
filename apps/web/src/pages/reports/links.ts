import { type Period, periodParams } from './period';
import { type Figure } from './report-api';

/** The address of the dossier list behind a figure (same unit and period, shareable). */
export function figureLink(figure: Figure, period: Period, unit?: string): string {
  return `/bang-dieu-khien/ho-so?${new URLSearchParams({ chiSo: figure, ...periodParams(period, unit) }).toString()}`;
}

/** A unit's dashboard over a period; `age`: its overdue list narrowed to one age bucket (by index). */
export function dashboardLink(period: Period, unit?: string, age?: number): string {
  const params = new URLSearchParams(periodParams(period, unit));
  if (age !== undefined) {
    params.set('tuoi', String(age));
  }
  return `/bang-dieu-khien?${params.toString()}`;
}
