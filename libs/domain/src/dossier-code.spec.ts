import {
  dossierCodePrefix,
  DOSSIER_CODE_SHAPE,
  dossierCodeFormat,
  formatDossierCode,
  LEGAL_DOSSIER_CODE,
  parseDossierCode,
} from './dossier-code';
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
      systemCode: '',
      sequence: 7,
    });
    expect(parseDossierCode('not-a-code')).toBeUndefined();
  });

  it('builds Circular 04/2025’s form <unit>-YYMMDD-AAXXXX with the configured system code', () => {
    const circular04 = dossierCodeFormat('{UNIT}-{YYMMDD}-DV{SEQ}');
    expect(formatDossierCode('000.00.20.H36', { year: 2026, month: 3, day: 16 }, 7, circular04)).toBe(
      '000.00.20.H36-260316-DV0007',
    );
    expect(parseDossierCode('000.00.20.H36-260316-DV0007')).toEqual({
      unitCode: '000.00.20.H36',
      date: { year: 2026, month: 3, day: 16 },
      systemCode: 'DV',
      sequence: 7,
    });
  });

  it('reads the legal pattern as the default form and refuses a pattern that is neither', () => {
    expect(dossierCodeFormat('{UNIT}-{YYMMDD}-{SEQ}')).toEqual(LEGAL_DOSSIER_CODE);
    expect(() => dossierCodeFormat('{UNIT}-{YYMMDD}-7{SEQ}')).toThrow(RangeError);
  });
});

describe('dossierCodePrefix', () => {
  it('is the code without its sequence, in both forms (intake appends the number in SQL)', () => {
    const day = { year: 2026, month: 3, day: 9 };
    expect(dossierCodePrefix('000.00.20.H36', day)).toBe('000.00.20.H36-260309-');
    expect(formatDossierCode('000.00.20.H36', day, 7, { systemCode: 'DV' })).toBe(
      `${dossierCodePrefix('000.00.20.H36', day, { systemCode: 'DV' })}0007`,
    );
  });
});

describe('DOSSIER_CODE_SHAPE', () => {
  it('accepts codes of both patterns, so codes issued before a change of pattern stay reachable', () => {
    for (const code of ['000.00.20.H36-260316-0007', '000.00.20.H36-260316-10000', '000.00.20.H36-260316-DV0007']) {
      expect({ code, ok: DOSSIER_CODE_SHAPE.test(code) }).toEqual({ code, ok: true });
    }
    for (const code of ['000.00.20.H36-260316-007', '000.00.20.H36-2603-0007', '000.00.20.H36-260316-ABCD', 'x']) {
      expect({ code, ok: DOSSIER_CODE_SHAPE.test(code) }).toEqual({ code, ok: false });
    }
  });
});

describe('maskIdNumber', () => {
  it('keeps only the ends of a personal identification number', () => {
    expect(maskIdNumber('001203004567')).toBe('001******567');
  });
});
