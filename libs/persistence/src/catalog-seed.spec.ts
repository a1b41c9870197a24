import { type ProcedureDefinition, validateProcedure, workflowSteps } from '../../domain/src';
import { loadSeedCatalog, parseCatalog } from './catalog-seed';

const catalog = loadSeedCatalog();
const procedure = (code: string): ProcedureDefinition => catalog.find((p) => p.code === code)!;
const caseOf = (code: string) => procedure(code).version.cases[0];
const stepName = (code: string, step: string) => workflowSteps(caseOf(code)).find((s) => s.code === step)?.name;
const documentName = (code: string, doc: string) => caseOf(code).documents.find((d) => d.code === doc)?.name;

describe(loadSeedCatalog.name, () => {
  it('parses every seed procedure with no key outside the catalog’s fields', () => {
    const unknown = catalog.flatMap((p) =>
      validateProcedure(p)
        .filter((e) => e.message.startsWith('unknown field'))
        .map((e) => `${p.code} ${e.field}`),
    );
    expect(unknown).toEqual([]);
  });

  it('keeps a name with commas whole: step S01 is "Tiếp nhận, kiểm tra, chuyển hồ sơ"', () => {
    expect(stepName('2.000908', 'S01')).toBe('Tiếp nhận, kiểm tra, chuyển hồ sơ');
  });

  it('keeps every name that has a comma whole, as forms 01 and 06 print it', () => {
    expect({
      S05: stepName('2.000908', 'S05'),
      S08: stepName('2.000908', 'S08'),
      S09: stepName('2.000908', 'S09'),
      'DK-ANTT': documentName('1.014390', 'DK-ANTT'),
      'PCCC (karaoke)': documentName('1.014390', 'PCCC'),
      'BAN-CHINH': documentName('2.000815', 'BAN-CHINH'),
      'T1 (copies)': stepName('2.000815', 'T1'),
      H2: stepName('1.001193', 'H2'),
      'TK-NCMC': documentName('1.001022', 'TK-NCMC'),
      'CC-QH': documentName('1.001022', 'CC-QH'),
      'TK-TD': documentName('1.004859', 'TK-TD'),
      'GT-KY': documentName('2.000884', 'GT-KY'),
      'T1 (signatures)': stepName('2.000884', 'T1'),
      B2: stepName('1.009994', 'B2'),
      L2: stepName('2.001417', 'L2'),
      'PCCC (security)': documentName('2.001605', 'PCCC'),
      'fee (security)': caseOf('2.001605').fees[0].name,
    }).toEqual({
      S05: 'Chuyên viên thẩm định, dự thảo',
      S08: 'UBND tỉnh xem xét, quyết định',
      S09: 'Sở tiếp nhận quyết định, chuyển Trung tâm',
      'DK-ANTT': 'Văn bản đề nghị cấp Giấy chứng nhận đủ điều kiện về an ninh, trật tự',
      'PCCC (karaoke)': 'Văn bản nghiệm thu về phòng cháy, chữa cháy',
      'BAN-CHINH': 'Bản chính giấy tờ, văn bản làm cơ sở chứng thực',
      'T1 (copies)': 'Tiếp nhận, đối chiếu',
      H2: 'Công chức tư pháp - hộ tịch kiểm tra, ghi sổ',
      'TK-NCMC': 'Tờ khai đăng ký nhận cha, mẹ, con',
      'CC-QH': 'Chứng cứ chứng minh quan hệ cha, mẹ, con',
      'TK-TD': 'Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch',
      'GT-KY': 'Giấy tờ, văn bản cần chứng thực chữ ký',
      'T1 (signatures)': 'Tiếp nhận, kiểm tra',
      B2: 'Thẩm định, kiểm tra thực địa',
      L2: 'Tra cứu, xác minh',
      'PCCC (security)': 'Văn bản nghiệm thu về phòng cháy, chữa cháy',
      'fee (security)': 'Phí thẩm định điều kiện về an ninh, trật tự',
    });
  });
});

/** Regulations the seed once cited, the day they stopped applying and what replaced them (checked against sources). */
const REPLACED = [{ cited: '01/2021/NĐ-CP', endsBefore: '2025-07-01', by: '168/2025/NĐ-CP' }];

describe('legal bases of the seed catalog', () => {
  it('cites Decree 168/2025 for household business registration from 1 July 2025, not the replaced 01/2021', () => {
    expect(procedure('1.001612').version).toMatchObject({
      effectiveFrom: '2025-07-01',
      legalBasis: expect.stringContaining('Nghị định 168/2025/NĐ-CP'),
    });
  });

  it('cites no regulation in a version that takes effect after the regulation was replaced', () => {
    const stale = catalog.flatMap((p) =>
      REPLACED.filter(
        (r) => p.version.effectiveFrom >= r.endsBefore && (p.version.legalBasis ?? '').includes(r.cited),
      ).map((r) => `${p.code} (from ${p.version.effectiveFrom}) cites ${r.cited}, replaced by ${r.by}`),
    );
    expect(stale).toEqual([]);
  });
});

describe(parseCatalog.name, () => {
  it('leaves a name cut at an unquoted comma for the validator to name, path and rule', () => {
    const [p] = parseCatalog(`
procedures:
  - code: '2.000884'
    version:
      cases:
        - steps:
            - { code: T1, name: Tiếp nhận, kiểm tra, unit: 000.31.01.H36 }
`);
    expect(validateProcedure(p)).toContainEqual({
      field: 'version.cases[0].steps[0].kiểm tra',
      message:
        'unknown field: a step has only code, name, unit, role, budget, counted, next (in YAML, quote a text with a comma inside { }: the comma ends the value)',
    });
  });
});
