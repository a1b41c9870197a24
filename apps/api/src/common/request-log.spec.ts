import { loggableUrl } from './request-log';

describe(loggableUrl.name, () => {
  it('keeps a path without a query as it is', () => {
    expect(loggableUrl('/api/v1/dossiers/000.00.20.H36-260316-0007')).toBe(
      '/api/v1/dossiers/000.00.20.H36-260316-0007',
    );
  });

  it("drops the applicant's ID number from the path of their reusable files", () => {
    expect(loggableUrl('/api/v1/applicants/001203004567/reusable-files')).toBe(
      '/api/v1/applicants/[REDACTED]/reusable-files',
    );
    expect(loggableUrl('/api/v1/applicants/0312345678/reusable-files?limit=5')).toBe(
      '/api/v1/applicants/[REDACTED]/reusable-files?limit=[REDACTED]',
    );
  });

  it('keeps the names of the query parameters and drops every value', () => {
    expect(loggableUrl('/public/v1/dossiers/000.00.20.H36-260316-0007?pin=042917')).toBe(
      '/public/v1/dossiers/000.00.20.H36-260316-0007?pin=[REDACTED]',
    );
    expect(loggableUrl('/api/v1/dossiers?q=Nguy%E1%BB%85n%20V%C4%83n%20An&limit=50&overdue')).toBe(
      '/api/v1/dossiers?q=[REDACTED]&limit=[REDACTED]&overdue=[REDACTED]',
    );
  });

  it('does not keep a parameter name that looks like data', () => {
    expect(loggableUrl('/api/v1/dossiers?001203004567&Nguy%E1%BB%85n=1&%ZZ=2')).toBe(
      '/api/v1/dossiers?_=[REDACTED]&_=[REDACTED]&_=[REDACTED]',
    );
  });
});
