import { formatDossierCode, parseDossierCode } from './dossier-code';
import { maskIdNumber } from './personal-id';

describe('formatDossierCode', () => {
  it('builds the legal form <unit>-YYMMDD-XXXX', () => {
    expect(formatDossierCode('000.00.20.H36', { year: 2026, month: 3, day: 16 }, 7)).toBe('000.00.20.H36-260316-0007');
  });

  it('widens the sequence rather than wrap past 9999', () => {
    expect(formatDossierCode('000.00.20.H36', { year: 2026, month: 3, day: 16 }, 10000)).toBe(
      '000.00.20.H36-260316-10000',
    );
  });

  it('rejects a non-positive sequence', () => {
    expect(() => formatDossierCode('000.00.20.H36', { year: 2026, month: 1, day: 1 }, 0)).toThrow(RangeError);
  });

  it('parses back what it formats', () => {
    expect(parseDossierCode('000.00.20.H36-260316-0007')).toEqual({
      unitCode: '000.00.20.H36',
      date: { year: 2026, month: 3, day: 16 },
      sequence: 7,
    });
    expect(parseDossierCode('not-a-code')).toBeUndefined();
  });
});

describe('maskIdNumber', () => {
  it('keeps only the ends of a personal identification number', () => {
    expect(maskIdNumber('001203004567')).toBe('001******567');
  });
});
