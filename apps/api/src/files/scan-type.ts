/** The types a scan may be, as its first bytes show them (never its name or the type the client declared). */
export const SCAN_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type ScanType = (typeof SCAN_TYPES)[number];

const SIGNATURES: { type: ScanType; magic: number[] }[] = [
  { type: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
];

/** The scan's type from its content (magic bytes), or null when it is none of PDF, JPEG, PNG. */
export function sniffScanType(bytes: Buffer): ScanType | null {
  return SIGNATURES.find(({ magic }) => magic.every((b, i) => bytes[i] === b))?.type ?? null;
}

const EXTENSIONS: Record<ScanType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

/**
 * The file name as stored and served: the client's base name with control characters, path separators and quotes
 * removed, at most 120 characters, and the extension of the sniffed type (a `.pdf` name on a PNG becomes `.png`).
 */
export function storedFileName(original: string | undefined, type: ScanType): string {
  const base = (original ?? '')
    .split(/[\\/]/)
    .pop()!
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
    .replace(/[\u0000-\u001f\u007f"';<>|*?:]/g, '')
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .trim()
    .slice(0, 120);
  return `${base || 'scan'}.${EXTENSIONS[type]}`;
}

/** A Content-Disposition that no file name can break out of: an ASCII fallback and the UTF-8 name (RFC 6266). */
export function attachmentDisposition(fileName: string): string {
  const ascii =
    fileName
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\%]/g, '') || 'file';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
