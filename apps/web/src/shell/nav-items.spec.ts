import { homePath, visibleNavItems } from './nav-items';

describe('homePath', () => {
  it('lands heads, leaders and auditors on the dashboard', () => {
    for (const role of ['UNIT_HEAD', 'DIVISION_HEAD', 'AGENCY_LEADER', 'AUDITOR']) {
      expect({ role, home: homePath([role]) }).toEqual({ role, home: '/bang-dieu-khien' });
    }
  });

  it('lands clerks, specialists and administrators on their worklist', () => {
    expect(homePath(['DESK_CLERK'])).toBe('/');
    expect(homePath(['SPECIALIST'])).toBe('/');
    expect(homePath(['ADMIN'])).toBe('/');
    expect(homePath([])).toBe('/');
  });

  it('shows the dashboard in the menu wherever it is the home', () => {
    expect(visibleNavItems(['DIVISION_HEAD']).map((i) => i.path)).toContain(homePath(['DIVISION_HEAD']));
  });
});
