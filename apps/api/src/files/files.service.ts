import { randomUUID } from 'node:crypto';
import { type Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { DomainErrorCode, DomainException, TERMINAL_STATES } from '../../../../libs/domain/src';
import {
  DossierQueryStore,
  type DossierFileRecord,
  FileStorage,
  FileStore,
  type FileKind,
  type ReusableFileRecord,
} from '../../../../libs/persistence/src';
import { type Principal } from '../auth/principal';
import { DossiersService } from '../dossiers/dossiers.service';
import { OrganisationService } from '../organisation/organisation.service';
import { type DossierFileView, type ReusableFileView } from './file.view';
import { acceptedScan, type UploadedScan } from './scan-upload.interceptor';
import { storedFileName } from './scan-type';

/** The states in which a result may be attached: the last step is done (the decision taken), or it was returned. */
const RESULT_STATES = ['READY_FOR_RETURN', 'RESULT_RETURNED'];
/** A result is the decision on the merits: a withdrawn or stopped dossier has none. */
const DECIDED = ['APPROVED', 'REFUSED'];
/** Who attaches and certifies the scans of papers: the desk (or an agency's system at its intake). */
const PAPER_ROLES = ['DESK_CLERK', 'AGENCY_SYSTEM'];

const validation = (message: string, field: string, rule: string) =>
  new DomainException(DomainErrorCode.VALIDATION_FAILED, message, [{ field, message: rule }]);

@Injectable()
export class FilesService {
  private readonly logger = new Logger(FilesService.name);

  constructor(
    private readonly files: FileStore,
    private readonly storage: FileStorage,
    private readonly dossiers: DossiersService,
    private readonly queries: DossierQueryStore,
    private readonly organisation: OrganisationService,
  ) {}

  /**
   * Attaches a scan: a paper handed in (the desk, while the dossier is open) or the result (once the last step is
   * done). Its type is sniffed from its content and its SHA-256 counted as it is stored; anything refused is refused
   * before a byte is stored.
   */
  async attach(
    principal: Principal,
    code: string,
    request: { kind: FileKind; documentCode?: string },
    scan: UploadedScan | undefined,
  ): Promise<DossierFileView> {
    const { dossier } = await this.dossiers.visibleDetail(principal, code);
    if (request.kind === 'PAPER' && !principal.roles.some((r) => PAPER_ROLES.includes(r))) {
      throw new DomainException(
        DomainErrorCode.FORBIDDEN,
        `${principal.username} may not attach papers: the desk (DESK_CLERK) scans what the applicant hands in.`,
        [],
        { rule: 'ROLE_NOT_ALLOWED' },
      );
    }
    const file = acceptedScan(scan);
    const type = file.type;
    if (request.kind === 'PAPER') {
      const handed = dossier.documents.map((d) => d.code);
      if (!request.documentCode || !handed.includes(request.documentCode)) {
        throw validation(
          'The paper is not one of the dossier’s; nothing was stored.',
          'documentCode',
          `must be the code of a document handed in with the dossier (${handed.join(', ')})`,
        );
      }
      if ((TERMINAL_STATES as string[]).includes(dossier.state)) {
        throw new DomainException(
          DomainErrorCode.INVALID_STATE,
          `Dossier ${code} is ${dossier.state}: its papers can no longer be added.`,
          [],
          { rule: 'INVALID_STATE' },
        );
      }
    } else {
      if (request.documentCode !== undefined) {
        throw validation(
          'A result has no document code; nothing was stored.',
          'documentCode',
          'must be absent for a RESULT',
        );
      }
      if (!RESULT_STATES.includes(dossier.state) || !DECIDED.includes(dossier.outcome ?? '')) {
        throw new DomainException(
          DomainErrorCode.INVALID_STATE,
          `Dossier ${code} is ${dossier.state}: a result is attached once its last step is done and the decision taken.`,
          [],
          { rule: 'INVALID_STATE' },
        );
      }
    }
    const storageKey = `dossiers/${code}/${randomUUID()}`;
    const stored = await this.storage.put(storageKey, file.buffer, { contentType: type });
    try {
      const record = await this.files.insert({
        dossierCode: code,
        kind: request.kind,
        documentCode: request.kind === 'PAPER' ? request.documentCode! : null,
        fileName: storedFileName(file.originalname, type),
        contentType: type,
        sizeBytes: stored.size,
        sha256: stored.sha256,
        storageKey,
        uploadedBy: principal.officerId,
        reusedFrom: null,
      });
      return (await this.views([record]))[0];
    } catch (e) {
      await this.storage
        .delete(storageKey)
        .catch((error: unknown) =>
          this.logger.warn({ storageKey, error: String(error) }, 'orphan file left in storage'),
        );
      throw e;
    }
  }

  /** Marks a scanned paper as the authenticated copy (who, when); a certified one keeps its first certification. */
  async certify(principal: Principal, code: string, id: string): Promise<DossierFileView> {
    await this.dossiers.visibleDetail(principal, code);
    const file = await this.found(code, id);
    if (file.kind !== 'PAPER') {
      throw new DomainException(
        DomainErrorCode.INVALID_STATE,
        'A result is not certified as a copy: it is the original the agency issued.',
        [],
        { rule: 'INVALID_STATE' },
      );
    }
    const certified = await this.files.certify(file.id, principal.officerId, new Date());
    return (await this.views([certified!]))[0];
  }

  async list(principal: Principal, code: string): Promise<DossierFileView[]> {
    await this.dossiers.visibleDetail(principal, code);
    return this.views(await this.files.list(code));
  }

  /** A file of a dossier the caller sees, with its bytes streamed from storage. */
  async download(principal: Principal, code: string, id: string) {
    await this.dossiers.visibleDetail(principal, code);
    return this.open(await this.found(code, id));
  }

  /** The citizen's download (the PIN was checked by the caller): the result only; a paper is not found. */
  async downloadResult(code: string, id: string) {
    const file = await this.found(code, id);
    if (file.kind !== 'RESULT') {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `Dossier ${code} has no result file ${id}.`);
    }
    return this.open(file);
  }

  /** Certified papers and results of the applicant's earlier dossiers that the caller's units have seen. */
  async reusable(principal: Principal, applicantIdNumber: string): Promise<ReusableFileView[]> {
    const visible = await this.organisation.visibleUnits(principal);
    const rows = await this.files.reusable(applicantIdNumber, visible === 'ALL' ? 'ALL' : [...visible]);
    const views = await this.views(rows);
    return rows.map((r, i) => ({
      ...views[i],
      procedureCode: r.procedureCode,
      dossierReceivedAt: new Date(r.receivedAt).toISOString(),
    }));
  }

  private async found(code: string, id: string): Promise<DossierFileRecord> {
    const file = await this.files.find(code, id);
    if (!file) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `Dossier ${code} has no file ${id}.`);
    }
    return file;
  }

  private async open(file: DossierFileRecord): Promise<{ file: DossierFileRecord; stream: Readable }> {
    if (file.purgedAt) {
      throw new DomainException(
        DomainErrorCode.GONE,
        `The scan ${file.id} of dossier ${file.dossierCode} was deleted under the personal-data retention rule; its record (SHA-256, size, certification) is kept.`,
        [],
        { rule: 'RETENTION_PURGED', purgedAt: new Date(file.purgedAt).toISOString() },
      );
    }
    return { file, stream: await this.storage.get(file.storageKey) };
  }

  private async views(records: (DossierFileRecord | ReusableFileRecord)[]): Promise<DossierFileView[]> {
    const ids = [...new Set(records.flatMap((r) => [r.uploadedBy, ...(r.certifiedBy ? [r.certifiedBy] : [])]))];
    const names = new Map((await this.queries.officerNames(ids)).map((o) => [o.id, o.full_name]));
    const origins = records.some((r) => r.reusedFrom)
      ? new Map((await this.files.byIds(records.flatMap((r) => r.reusedFrom ?? []))).map((o) => [o.id, o.dossierCode]))
      : new Map<string, string>();
    const ref = (id: string) => ({ id, name: names.get(id) ?? null });
    return records.map((r) => ({
      id: r.id,
      dossierCode: r.dossierCode,
      kind: r.kind,
      documentCode: r.documentCode,
      fileName: r.fileName,
      contentType: r.contentType,
      sizeBytes: Number(r.sizeBytes),
      sha256: r.sha256,
      uploadedBy: ref(r.uploadedBy),
      uploadedAt: new Date(r.uploadedAt).toISOString(),
      certified:
        r.certifiedBy && r.certifiedAt ? { by: ref(r.certifiedBy), at: new Date(r.certifiedAt).toISOString() } : null,
      reusedFrom: r.reusedFrom ? { fileId: r.reusedFrom, dossierCode: origins.get(r.reusedFrom) ?? '' } : null,
      purgedAt: r.purgedAt ? new Date(r.purgedAt).toISOString() : null,
    }));
  }
}
