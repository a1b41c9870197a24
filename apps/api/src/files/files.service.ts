import { randomUUID } from 'node:crypto';
import { type Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { DomainErrorCode, DomainException, TERMINAL_STATES } from '../../../../libs/domain/src';
import {
  DossierQueryStore,
  type DossierFileRecord,
  FileStorage,
  FileStore,
  ObjectMissingError,
  type FileKind,
  type ReusableFileRecord,
} from '../../../../libs/persistence/src';
import { type Principal } from '../auth/principal';
import { DossiersService } from '../dossiers/dossiers.service';
import { OrganisationService } from '../organisation/organisation.service';
import { type DossierDetail } from '../dossiers/dossier.reader';
import { type DossierFileView, type ReusableFileView } from './file.view';
import { acceptedScan, type UploadedScan } from './scan-upload.interceptor';
import { storedFileName } from './scan-type';

/** The states in which a result may be attached: the last step is done (the decision taken), or it was returned. */
const RESULT_STATES = ['READY_FOR_RETURN', 'RESULT_RETURNED'];
/** States in which the paper scans are no longer the desk's to certify: processing is over. */
const PROCESSED = ['READY_FOR_RETURN', ...TERMINAL_STATES];
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
    request: { kind: FileKind; documentCode?: string; supersedes?: string },
    scan: UploadedScan | undefined,
  ): Promise<DossierFileView> {
    const detail = await this.dossiers.visibleDetail(principal, code);
    const { dossier } = detail;
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
      if (request.supersedes !== undefined) {
        throw validation(
          'Only a result supersedes an earlier file; nothing was stored.',
          'supersedes',
          'must be absent for a PAPER',
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
      await this.checkResultUpload(principal, detail, request.supersedes);
    }
    const storageKey = `dossiers/${code}/${randomUUID()}`;
    const stored = await this.storage.put(storageKey, file.buffer, { contentType: type });
    try {
      const record = await this.files.insert(
        {
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
        },
        request.supersedes,
      );
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

  /**
   * Marks a scanned paper as the authenticated copy (who, when); a certified one keeps its first certification. Only
   * the desk of the receiving unit certifies (it holds the paper the scan copies), and only while the dossier is being
   * processed: once processing is over, no paper is taken in, so none is newly attested. A result is never certified:
   * it is the state's own document, digitised when attached.
   */
  async certify(principal: Principal, code: string, id: string): Promise<DossierFileView> {
    const { dossier } = await this.dossiers.visibleDetail(principal, code);
    const file = await this.found(code, id);
    if (file.kind !== 'PAPER') {
      throw new DomainException(
        DomainErrorCode.INVALID_STATE,
        'A result is not certified as a copy: it is the original the agency issued.',
        [],
        { rule: 'INVALID_STATE' },
      );
    }
    if (PROCESSED.includes(dossier.state) || dossier.finishedAt !== null) {
      throw new DomainException(
        DomainErrorCode.INVALID_STATE,
        `Dossier ${code} is ${dossier.state}: its processing is over, its papers are no longer certified.`,
        [],
        { rule: 'INVALID_STATE' },
      );
    }
    if (!principal.roles.includes('DESK_CLERK') || !principal.unitCodes.includes(dossier.receivingUnitCode)) {
      throw new DomainException(
        DomainErrorCode.FORBIDDEN,
        `${principal.username} may not certify the papers of dossier ${code}: the desk of ${dossier.receivingUnitCode}, which received them, does.`,
        [],
        { rule: 'ROLE_NOT_ALLOWED' },
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

  /**
   * The citizen's download (the PIN was checked by the caller): a result, once returned, and not superseded (domain:
   * the applicant gets the result when it is returned; before that it may still be corrected or withheld). Anything
   * else answers as a file the dossier does not have.
   */
  async downloadResult(code: string, id: string) {
    const file = (await this.files.citizenResults(code)).find((f) => f.id === id);
    if (!file) {
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

  /** The bytes of a recorded file; a record whose bytes are gone from storage is a 404 naming the file, not a 500. */
  private async open(file: DossierFileRecord): Promise<{ file: DossierFileRecord; stream: Readable }> {
    if (file.purgedAt) {
      throw new DomainException(
        DomainErrorCode.GONE,
        `The scan ${file.id} of dossier ${file.dossierCode} was deleted under the personal-data retention rule; its record (SHA-256, size, certification) is kept.`,
        [],
        { rule: 'RETENTION_PURGED', purgedAt: new Date(file.purgedAt).toISOString() },
      );
    }
    try {
      return { file, stream: await this.storage.get(file.storageKey) };
    } catch (e) {
      if (e instanceof ObjectMissingError) {
        this.logger.error({ file: file.id, dossier: file.dossierCode }, 'file recorded but missing from storage');
        throw new DomainException(
          DomainErrorCode.NOT_FOUND,
          `The content of file ${file.id} (${file.fileName}) of dossier ${file.dossierCode} is no longer in storage.`,
          [],
          { rule: 'FILE_CONTENT_MISSING', file: file.id },
        );
      }
      throw e;
    }
  }

  /**
   * Who may attach a result, and when (decided here; the reviewer found anyone who saw the dossier could):
   * - the officer who completed the last step (who holds the signed decision), or the desk of the receiving unit
   *   (DESK_CLERK there, who returns it). Once returned, the last step is the desk's return: corrections then go
   *   through the desk that deals with the citizen. Not ADMIN: a result is served to the citizen as the decision, so it comes
   *   from those who hold the decision, not from whoever administers the system;
   * - once the last step is done and the decision taken (READY_FOR_RETURN, APPROVED or REFUSED). Before return, more
   *   than one file may make the result (the decision, the licence);
   * - once returned (RESULT_RETURNED), the citizen has the result: a new file must name the one it supersedes. The
   *   superseded file is kept and still served to officers, no longer to the citizen nor offered for reuse; the
   *   upload is audited with what it supersedes. There is no time limit: a correction may come long after return
   *   (after a complaint), and being explicit, audited and keeping the earlier file is what makes it safe.
   */
  private async checkResultUpload(principal: Principal, detail: DossierDetail, supersedes?: string): Promise<void> {
    const { dossier, steps } = detail;
    if (!RESULT_STATES.includes(dossier.state) || !DECIDED.includes(dossier.outcome ?? '')) {
      throw new DomainException(
        DomainErrorCode.INVALID_STATE,
        `Dossier ${dossier.code} is ${dossier.state}: a result is attached once its last step is done and the decision taken.`,
        [],
        { rule: 'INVALID_STATE' },
      );
    }
    const last = steps
      .filter((s) => s.completedAt !== null)
      .sort((a, b) => new Date(b.completedAt!).getTime() - new Date(a.completedAt!).getTime() || b.no - a.no)[0];
    const desk = principal.roles.includes('DESK_CLERK') && principal.unitCodes.includes(dossier.receivingUnitCode);
    if (!desk && last?.holderId !== principal.officerId) {
      throw new DomainException(
        DomainErrorCode.FORBIDDEN,
        `${principal.username} may not attach the result of dossier ${dossier.code}: the officer who completed its last step or the desk of ${dossier.receivingUnitCode} does.`,
        [],
        { rule: 'ROLE_NOT_ALLOWED' },
      );
    }
    const current = (await this.files.list(dossier.code)).filter((f) => f.kind === 'RESULT' && !f.supersededBy);
    if (supersedes !== undefined && !current.some((f) => f.id === supersedes)) {
      throw validation(
        'The file named as superseded is not a current result of the dossier; nothing was stored.',
        'supersedes',
        `must be the id of a current result of the dossier (${current.map((f) => f.id).join(', ') || 'none'})`,
      );
    }
    if (dossier.state === 'RESULT_RETURNED' && current.length > 0 && supersedes === undefined) {
      throw new DomainException(
        DomainErrorCode.INVALID_STATE,
        `The result of dossier ${dossier.code} was returned: a new result must name the one it supersedes (supersedes).`,
        [],
        { rule: 'INVALID_STATE' },
      );
    }
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
      superseded:
        r.supersededBy && r.supersededAt ? { by: r.supersededBy, at: new Date(r.supersededAt).toISOString() } : null,
      purgedAt: r.purgedAt ? new Date(r.purgedAt).toISOString() : null,
    }));
  }
}
