import ExcelJS from 'exceljs';
import { type ProgressReport } from '../../../../libs/reports/src';
import { GROUP_HEADINGS, PROGRESS_COLUMNS } from './progress.report';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const vnDate = (iso: string): string => iso.split('-').reverse().join('/');

/** The progress table as a workbook a province office opens as is: title, period, headings, rows, total. */
export async function progressXlsx(report: ProgressReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'dossier-engine';
  book.created = new Date(report.asOf);
  const sheet = book.addWorksheet('Tiến độ giải quyết');
  const width = PROGRESS_COLUMNS.length + 2;
  const title = (text: string, bold = false): void => {
    const row = sheet.addRow([text]);
    sheet.mergeCells(row.number, 1, row.number, width);
    row.font = { bold, size: bold ? 14 : 11 };
    row.alignment = { horizontal: 'center' };
  };
  title('BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH', true);
  title(`Đơn vị: ${report.unit.name} (${report.unit.code})`);
  title(`Kỳ báo cáo: từ ngày ${vnDate(report.period.from)} đến ngày ${vnDate(report.period.to)}`);
  title(`Tỷ lệ giải quyết đúng hạn tính theo: ${report.formula.label}`);
  sheet.addRow([]);
  const header = sheet.addRow(['Mã', GROUP_HEADINGS[report.groupBy], ...PROGRESS_COLUMNS.map((c) => c.heading)]);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  header.height = 48;
  for (const line of report.rows) {
    sheet.addRow([line.key, line.name, ...PROGRESS_COLUMNS.map((c) => c.value(line))]);
  }
  const total = sheet.addRow(['', report.total.name, ...PROGRESS_COLUMNS.map((c) => c.value(report.total))]);
  total.font = { bold: true };
  sheet.getColumn(1).width = 16;
  sheet.getColumn(2).width = 40;
  for (let i = 3; i <= width; i += 1) {
    sheet.getColumn(i).width = 13;
  }
  sheet.views = [{ state: 'frozen', xSplit: 2, ySplit: header.number }];
  return Buffer.from(await book.xlsx.writeBuffer());
}
