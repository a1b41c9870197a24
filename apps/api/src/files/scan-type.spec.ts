import { attachmentDisposition, sniffScanType, storedFileName } from './scan-type';

describe('sniffScanType', () => {
  it('knows PDF, PNG and JPEG by their first bytes', () => {
    expect(sniffScanType(Buffer.from('%PDF-1.7\n…'))).toBe('application/pdf');
    expect(sniffScanType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffScanType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0]))).toBe('image/jpeg');
  });

  it('refuses anything else, whatever it is called: HTML, an executable, an empty file, a truncated signature', () => {
    expect(sniffScanType(Buffer.from('<html><script>alert(1)</script>'))).toBeNull();
    expect(sniffScanType(Buffer.from('MZ\x90\x00'))).toBeNull();
    expect(sniffScanType(Buffer.alloc(0))).toBeNull();
    expect(sniffScanType(Buffer.from('%PD'))).toBeNull();
  });
});

describe('storedFileName', () => {
  it('keeps the base name, drops paths and quotes, and takes the extension of the sniffed type', () => {
    expect(storedFileName('C:\\scans\\don "de" nghi.pdf', 'image/png')).toBe('don de nghi.png');
    expect(storedFileName('../../etc/passwd', 'application/pdf')).toBe('passwd.pdf');
    expect(storedFileName(undefined, 'image/jpeg')).toBe('scan.jpg');
  });
});

describe('attachmentDisposition', () => {
  it('gives an ASCII fallback and the UTF-8 name, with nothing that ends the header value', () => {
    expect(attachmentDisposition('Giấy đề nghị.pdf')).toBe(
      `attachment; filename="Giay e nghi.pdf"; filename*=UTF-8''Gi%E1%BA%A5y%20%C4%91%E1%BB%81%20ngh%E1%BB%8B.pdf`,
    );
    expect(attachmentDisposition('a"\r\nSet-Cookie: x.pdf')).not.toMatch(/[\r\n]|filename="a"/);
  });
});
