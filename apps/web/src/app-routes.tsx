import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { RequireAuth } from './auth/require-auth';
import { ErrorBoundary } from './components/error-boundary';
import { PageLoading } from './components/page-loading';
import { AppShell } from './shell/app-shell';

// Each screen is its own chunk: the worklist's first load carries no intake, dossier or lookup code.
const SignInPage = lazy(() => import('./pages/sign-in-page'));
const SsoCallbackPage = lazy(() => import('./pages/sso-callback-page'));
const WorklistPage = lazy(() => import('./pages/worklist/worklist-page'));
const IntakePage = lazy(() => import('./pages/intake/intake-page'));
const DossierPage = lazy(() => import('./pages/dossier/dossier-page'));
const SubmissionsPage = lazy(() => import('./pages/submissions/submissions-page'));
const LookupPage = lazy(() => import('./pages/lookup/lookup-page'));
const CalendarPage = lazy(() => import('./pages/calendar/calendar-page'));
const DashboardPage = lazy(() => import('./pages/reports/dashboard-page'));
const FigureListPage = lazy(() => import('./pages/reports/figure-list-page'));
const ReportPage = lazy(() => import('./pages/reports/report-page'));
const CatalogPage = lazy(() => import('./pages/procedures/catalog-page'));
const ProcedurePage = lazy(() => import('./pages/procedures/procedure-page'));
const PublishPage = lazy(() => import('./pages/procedures/publish-page'));
const RefundsDuePage = lazy(() => import('./pages/payments/refunds-due-page'));
const OrganisationPage = lazy(() => import('./pages/organisation/organisation-page'));
const NotFoundPage = lazy(() => import('./pages/not-found-page'));

export function AppRoutes() {
  return (
    <ErrorBoundary>
      <Suspense fallback={<PageLoading />}>
        <Routes>
          <Route path="/dang-nhap" element={<SignInPage />} />
          <Route path="/dang-nhap/callback" element={<SsoCallbackPage />} />
          <Route path="/tra-cuu" element={<LookupPage />} />
          <Route
            element={
              <RequireAuth>
                <AppShell />
              </RequireAuth>
            }
          >
            <Route index element={<WorklistPage />} />
            <Route path="tiep-nhan" element={<IntakePage />} />
            <Route path="cho-tiep-nhan" element={<SubmissionsPage />} />
            <Route path="ho-so/:code" element={<DossierPage />} />
            <Route path="lich-lam-viec" element={<CalendarPage />} />
            <Route path="bang-dieu-khien" element={<DashboardPage />} />
            <Route path="bang-dieu-khien/ho-so" element={<FigureListPage />} />
            <Route path="bao-cao" element={<ReportPage />} />
            <Route path="hoan-tra" element={<RefundsDuePage />} />
            <Route path="thu-tuc" element={<CatalogPage />} />
            <Route path="thu-tuc/cong-bo" element={<PublishPage />} />
            <Route path="thu-tuc/:code" element={<ProcedurePage />} />
            <Route path="co-cau-to-chuc" element={<OrganisationPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </Suspense>
    </ErrorBoundary>
  );
}
