import { t } from '../i18n';
import { REFUND_ROLES } from '../pages/payments/refund-words';
import { REPORT_ROLES } from '../pages/reports/report-api';

export interface NavItem {
  path: string;
  label: string;
  /** Shown only to officers with one of these roles; absent: everyone signed in. */
  roles?: string[];
  /** Opens outside the signed-in shell (public pages). */
  external?: boolean;
}

/** Heads, leaders, auditors and admins: the reports' readers (the API's reports guard). */
const HEADS = REPORT_ROLES;

/** The shell's menu. Part 2 (dashboard, reports, admin) adds its entries here. */
export const NAV_ITEMS: NavItem[] = [
  { path: '/', label: t.nav.worklist },
  { path: '/tiep-nhan', label: t.nav.intake, roles: ['DESK_CLERK'] },
  { path: '/cho-tiep-nhan', label: t.nav.submissions, roles: ['DESK_CLERK'] },
  { path: '/bang-dieu-khien', label: t.dashboard.nav, roles: HEADS },
  { path: '/bao-cao', label: t.report.nav, roles: HEADS },
  { path: '/hoan-tra', label: t.refunds.nav, roles: REFUND_ROLES },
  { path: '/lich-lam-viec', label: t.calendar.nav, roles: ['ADMIN'] },
  { path: '/thu-tuc', label: t.procedures.nav },
  { path: '/thu-tuc/cong-bo', label: t.procedures.navPublish, roles: ['ADMIN'] },
  { path: '/co-cau-to-chuc', label: t.organisation.nav },
  { path: '/tra-cuu', label: t.nav.lookup, external: true },
];

/** The roles whose work is the figures of their units (the heads but administrators): the dashboard is their home. */
const DASHBOARD_FIRST = HEADS.filter((r) => r !== 'ADMIN');

/** Where an officer lands after signing in when they were going nowhere in particular. */
export function homePath(roles: readonly string[]): string {
  return roles.some((r) => DASHBOARD_FIRST.includes(r)) ? '/bang-dieu-khien' : '/';
}

export function visibleNavItems(roles: readonly string[]): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.roles || item.roles.some((r) => roles.includes(r)));
}

/** The menu entry a path belongs to (longest matching prefix). */
export function activeNavPath(pathname: string): string {
  const match = NAV_ITEMS.filter((i) => (i.path === '/' ? pathname === '/' : pathname.startsWith(i.path))).sort(
    (a, b) => b.path.length - a.path.length,
  )[0];
  return match?.path ?? '';
}
