import PDFDocument from 'pdfkit';
import { type FormDocument } from './dossier-forms';

/** DejaVu Sans covers Vietnamese (the standard PDF fonts do not). */
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

/** Prints a form on A4: national header, title, labelled fields, the table, the signature line. */
export function renderFormPdf(doc: FormDocument, issuer: string): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: doc.title, Subject: doc.dossierCode ?? doc.number },
  });
  pdf.registerFont('regular', FONT);
  pdf.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const width = pdf.page.width - 100;
  pdf.font('bold').fontSize(10).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { align: 'center' });
  pdf.font('regular').text('Độc lập - Tự do - Hạnh phúc', { align: 'center' });
  pdf.moveDown(0.5).fontSize(9).text(issuer, { align: 'left' });
  pdf.text(`Số: ${doc.number}`, { align: 'left' });
  pdf.moveDown().font('bold').fontSize(13).text(doc.title, { align: 'center' });
  pdf.font('regular').fontSize(9).text(`(Mẫu số ${doc.form} — Thông tư 03/2025/TT-VPCP)`, { align: 'center' });
  pdf.moveDown();
  pdf.fontSize(10);
  for (const [label, value] of doc.print.fields) {
    pdf
      .font('bold')
      .text(`${label}: `, { continued: true })
      .font('regular')
      .text(value || '—');
  }
  const table = doc.print.table;
  if (table && table.rows.length > 0) {
    pdf.moveDown();
    const colWidth = width / table.columns.length;
    const row = (cells: string[], bold: boolean): void => {
      const y = pdf.y;
      pdf.font(bold ? 'bold' : 'regular').fontSize(8);
      const heights = cells.map((c) => pdf.heightOfString(c || ' ', { width: colWidth - 4 }));
      const height = Math.max(...heights) + 4;
      if (y + height > pdf.page.height - 60) {
        pdf.addPage();
        return row(cells, bold);
      }
      cells.forEach((c, i) => {
        pdf.rect(50 + i * colWidth, y, colWidth, height).stroke();
        pdf.text(c, 52 + i * colWidth, y + 2, { width: colWidth - 4 });
      });
      pdf.x = 50;
      pdf.y = y + height;
    };
    row(table.columns, true);
    table.rows.forEach((r) => row(r, false));
  }
  if (doc.print.signature) {
    pdf.moveDown(2).font('bold').fontSize(10).text(doc.print.signature, 50, pdf.y, { align: 'right', width });
  }
  pdf.end();
  return done;
}
