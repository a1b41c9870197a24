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

describe('the refunds due entry', () => {
  it('is in the menu of the officers the API lets read it', () => {
    for (const role of ['DESK_CLERK', 'UNIT_HEAD', 'AGENCY_LEADER', 'ADMIN']) {
      expect({ role, shown: visibleNavItems([role]).some((i) => i.path === '/hoan-tra') }).toEqual({
        role,
        shown: true,
      });
    }
  });

  it('is not in the menu of the others', () => {
    for (const role of ['SPECIALIST', 'DIVISION_HEAD', 'AUDITOR', 'AGENCY_SYSTEM']) {
      expect({ role, shown: visibleNavItems([role]).some((i) => i.path === '/hoan-tra') }).toEqual({
        role,
        shown: false,
      });
    }
  });
});
