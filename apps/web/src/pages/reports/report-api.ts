import { api, toApiError, unwrap } from '../../api/client';
import { type components } from '../../api/schema';
import { session } from '../../auth/session';

export type ProgressReport = components['schemas']['ProgressReportView'];
export type ProgressLine = ProgressReport['rows'][number];
export type ProgressCounts = components['schemas']['ProgressCountsView'];
export type OverdueReport = components['schemas']['OverdueReportView'];
export type AtRiskReport = components['schemas']['AtRiskReportView'];
export type AttributionReport = components['schemas']['AttributionReportView'];
export type ProgressDossiers = components['schemas']['ProgressDossiersView'];
export type ProgressMonthly = components['schemas']['ProgressMonthlyView'];
export type Index766Report = components['schemas']['Index766ReportView'];
export type Indicator = components['schemas']['IndicatorView'];
export type Figure = ProgressDossiers['figure'];
export type GroupBy = ProgressReport['groupBy'];
export type Formula = 'RESOLVED' | 'TOTAL' | 'INDEX_766';

/** The roles that see the heads' screens (the API's reports guard). */
export const REPORT_ROLES = ['UNIT_HEAD', 'DIVISION_HEAD', 'AGENCY_LEADER', 'AUDITOR', 'ADMIN'];
/** The roles that may close a period (POST /reports/closings). */
export const CLOSING_ROLES = ['UNIT_HEAD', 'AGENCY_LEADER', 'ADMIN'];

export interface ReportQuery {
  unit?: string;
  from: string;
  to: string;
}

export const reportKeys = {
  progress: (q: ReportQuery & { groupBy?: GroupBy; formula?: Formula }) => ['reports', 'progress', q] as const,
  dossiers: (q: ReportQuery & { figure: Figure; offset: number }) => ['reports', 'dossiers', q] as const,
  overdue: (unit?: string, age?: number) => ['reports', 'overdue', unit ?? '', age ?? 'all'] as const,
  atRisk: (unit?: string) => ['reports', 'at-risk', unit ?? ''] as const,
  attribution: (q: ReportQuery) => ['reports', 'attribution', q] as const,
  monthly: (q: ReportQuery) => ['reports', 'monthly', q] as const,
  index766: (q: ReportQuery) => ['reports', 'index-766', q] as const,
};

export const fetchProgress = (q: ReportQuery & { groupBy?: GroupBy; formula?: Formula }) =>
  unwrap(api.GET('/api/v1/reports/progress', { params: { query: q } })) as Promise<ProgressReport>;

/** The subtree's totals month by month over a period (one call for the monthly chart). */
export const fetchMonthly = (q: ReportQuery) =>
  unwrap(api.GET('/api/v1/reports/progress/monthly', { params: { query: q } })) as Promise<ProgressMonthly>;

/** The 766 indicators of a period, without the averages by procedure (the dashboard does not show them). */
export const fetchIndex766 = (q: ReportQuery) =>
  unwrap(
    api.GET('/api/v1/reports/index-766', { params: { query: { ...q, averages: 'false' } } }),
  ) as Promise<Index766Report>;

export const fetchProgressDossiers = (q: ReportQuery & { figure: Figure; limit: number; offset: number }) =>
  unwrap(api.GET('/api/v1/reports/progress/dossiers', { params: { query: q } }));

/** What is late now; `age`: only one age bucket of it (by index). */
export const fetchOverdue = (unit?: string, age?: number) =>
  unwrap(
    api.GET('/api/v1/reports/overdue', {
      params: { query: { ...(unit ? { unit } : {}), ...(age !== undefined ? { age } : {}) } },
    }),
  );

export const fetchAtRisk = (unit?: string) =>
  unwrap(api.GET('/api/v1/reports/at-risk', { params: { query: unit ? { unit } : {} } }));

export const fetchAttribution = (q: ReportQuery) =>
  unwrap(api.GET('/api/v1/reports/attribution', { params: { query: q } }));

export const closePeriod = (q: ReportQuery) => unwrap(api.POST('/api/v1/reports/closings', { body: q }));

/**
 * Downloads the API's CSV or XLSX file of the table: fetched with the bearer token (never in a URL), then saved
 * from a blob under the name the server gives.
 */
export async function downloadProgress(
  q: ReportQuery & { groupBy: GroupBy; formula?: Formula },
  format: 'csv' | 'xlsx',
): Promise<void> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...q, format })) {
    if (v) {
      params.set(k, v);
    }
  }
  const response = await fetch(`/api/v1/reports/progress?${params.toString()}`, {
    headers: { Authorization: `Bearer ${session.token() ?? ''}` },
  });
  if (!response.ok) {
    throw toApiError(response, await response.json().catch(() => null));
  }
  const blob = await response.blob();
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `tien-do.${format}`;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
