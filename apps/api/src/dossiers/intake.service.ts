import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { agencyTaskQueue, AppConfig, type PartnerSystem, partnerSystems } from '../../../../libs/config/src';
import { DEFAULT_TRANSFER_RULE, formatFormTime, localDateOf } from '../../../../libs/calendar/src';
import {
  DEFAULT_SIGNING,
  DomainErrorCode,
  DomainException,
  type DossierCodeFormat,
  dossierCodeFormat,
  type DossierRules,
  type DossierWorkflowInput,
  type HandoffOrigin,
  type ProcedureCase,
  type StepRole,
  type ProcedureStep,
  type InterAgencySegment,
  PETITION_PROCEDURE_CODE,
  segmentOwnSteps,
  workflowSegments,
  workflowSteps,
} from '../../../../libs/domain/src';
import {
  DossierQueryStore,
  DossierStore,
  FileStore,
  hashLookupPin,
  lookupPinKey,
  newLookupPin,
  type ReceiveDossierCommand,
  type ReusableFileRecord,
} from '../../../../libs/persistence/src';
import { type Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { OrganisationService } from '../organisation/organisation.service';
import { traceCarrier } from '../../../../libs/telemetry/src';
import { OutboxRelayService, START_DOSSIER_WORKFLOW } from '../outbox/outbox-relay.service';
import { ProceduresService } from '../procedures/procedures.service';
import { DossierReader } from './dossier.reader';
import { seesPin, toDossierView } from './dossier.mapper';
import { type DossierView } from './dto/dossier.view';
import { type IntakeRequest } from './dto/intake.dto';
import { buildReceipt } from './forms/dossier-forms';
import { checkHandedDocuments } from './handed-documents';
import { checkIdempotencyKey } from './idempotency-key';

/** Canonical JSON (sorted keys) so the same body always hashes the same for idempotency. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Intake's routing of a procedure's steps to units known only at receipt (the petition procedure's). */
export interface StepRoute {
  /** The unit and role a step of the procedure gets for this dossier. */
  step: (step: ProcedureStep) => { unit: string; role: StepRole };
  /** Received from the public form: the caller (the connected-system account) neither holds nor must be at the desk. */
  public: boolean;
}

/** Intake: a dossier received at the desk, from an application online, a petition or a partner's hand-off. */
@Injectable()
export class IntakeService {
  constructor(
    private readonly dossiers: DossierStore,
    private readonly reader: DossierReader,
    private readonly relay: OutboxRelayService,
    private readonly organisation: OrganisationService,
    private readonly procedures: ProceduresService,
    private readonly calendars: CalendarService,
    private readonly queries: DossierQueryStore,
    private readonly files: FileStore,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.partners = partnerSystems(config);
    this.codeFormat = dossierCodeFormat(config.DOSSIER_CODE_PATTERN);
    this.pinKey = lookupPinKey(config);
  }

  /** The pattern of the codes intake issues (validated at boot with the rest of the configuration). */
  private readonly codeFormat: DossierCodeFormat;
  /** The key lookup PINs are hashed with (LOOKUP_PIN_KEY, or derived from JWT_SECRET in embedded mode). */
  private readonly pinKey: Buffer;

  /** Partner systems serving agencies of connected procedures (their segments are handed over, not run here). */
  private readonly partners: PartnerSystem[];

  /**
   * Intake: checks the documents against the procedure version in force, then one transaction stores the dossier
   * with its code, its promised return time and the outbox row that starts its workflow. The clock starts now: for an
   * application submitted online (`submissionId`), at its reception, not at its submission.
   */
  async receive(
    principal: Principal,
    request: IntakeRequest,
    source: {
      idempotencyKey?: string;
      /** A partner's system handed over one segment of a connected procedure. */
      origin?: HandoffOrigin & { segmentCode: string };
      /** The application waiting at the desk that this reception takes in. */
      submissionId?: string;
      /** Steps routed at intake (a petition's: to the unit it is about), and whether the caller holds the desk's step. */
      route?: StepRoute;
      /** A petition: what it is about, linked to the petition dossier in the transaction that stores it. */
      petition?: ReceiveDossierCommand['petition'];
    } = {},
  ): Promise<{ view: DossierView; replayed: boolean; pin?: string }> {
    const { idempotencyKey, origin, submissionId, route, petition } = source;
    checkIdempotencyKey(idempotencyKey);
    if (request.procedureCode === PETITION_PROCEDURE_CODE && !petition) {
      // Its steps are routed to the unit the petition is about, which only the petition's intake knows.
      throw new DomainException(DomainErrorCode.VALIDATION_FAILED, 'Petitions are received as petitions.', [
        { field: 'procedureCode', message: `${PETITION_PROCEDURE_CODE} is received with POST /api/v1/petitions` },
      ]);
    }
    if (!origin && !route?.public) {
      this.assertInUnit(principal, request.receivingUnitCode, 'receive dossiers for');
    }
    const receivedAt = new Date();
    const {
      version,
      caseCode,
      procedure: kase,
    } = await this.procedures.forIntake(request.procedureCode, request.caseCode, receivedAt);
    const name = version.procedureName;
    const documents = checkHandedDocuments(request, kase, name);
    const reused = await this.reusedFiles(principal, request, origin !== undefined);
    const scoped = await this.calendars.forScope(request.receivingUnitCode);
    const { calendar } = scoped;
    // A partner's hand-off is one segment of a connected procedure: its steps and its share of the deadline.
    const segment = origin ? this.handedSegment(kase, origin.segmentCode, request.receivingUnitCode) : undefined;
    const processingTime = segment?.budget ?? kase.processingTime;
    const cutoff = segment ? undefined : kase.cutoff;
    const promisedAt =
      kase.returnsImmediately && !segment
        ? receivedAt
        : calendar.due(receivedAt, processingTime.amount, processingTime.unit, cutoff ?? {}).due;
    const steps = workflowSteps(kase).map((s) => (route ? { ...s, ...route.step(s) } : s));
    const rules: DossierRules = {
      procedureName: name,
      procedureVersionId: version.id,
      caseCode,
      processingTime,
      cutoff,
      transfer: kase.transfer ?? DEFAULT_TRANSFER_RULE,
      clockPolicy: kase.clockPolicy,
      steps: segment
        ? segmentOwnSteps(
            steps,
            segment.steps.map((s) => s.code),
          )
        : steps,
      segments:
        kase.segments?.length && !segment
          ? workflowSegments(kase, (agency) => agencyTaskQueue(this.config, agency), this.partners)
          : undefined,
      feesTotal: kase.fees.reduce((sum, f) => sum + f.amount, 0),
      legalBasis: version.definition.legalBasis,
      returnsImmediately: kase.returnsImmediately && !segment,
      // Whose head signs form 04: the resolving agency's, or the agency of the segment a partner handed us.
      agency: segment?.agency ?? version.resolvingAgencyCode,
      signing: kase.signing ?? DEFAULT_SIGNING,
    };
    const input: Omit<DossierWorkflowInput, 'dossierCode'> = {
      procedureCode: request.procedureCode,
      receivingUnitCode: request.receivingUnitCode,
      receivedAt: receivedAt.toISOString(),
      // A public petition is taken in by the connected-system account: any clerk of the desk claims its first step.
      receivedBy: route?.public ? undefined : principal.officerId,
      rules,
      ...(origin
        ? {
            handoff: {
              partner: origin.partner,
              handoffId: origin.handoffId,
              originDossierCode: origin.originDossierCode,
            },
          }
        : {}),
    };
    // Shown once, in this answer and on the receipt printed from it; the database keeps only its hash.
    const pin = newLookupPin();
    const { dossier, event, replayed } = await this.dossiers.receive({
      receivingUnitCode: request.receivingUnitCode,
      procedureCode: request.procedureCode,
      procedureVersionId: version.id,
      caseCode,
      channel: request.channel,
      applicant: { type: request.applicant.type, idNumber: request.applicant.idNumber, name: request.applicant.name },
      applicantContact: {
        address: request.applicant.address,
        phone: request.applicant.phone,
        email: request.applicant.email,
      },
      proxy: request.proxy
        ? { name: request.proxy.name, idNumber: request.proxy.idNumber, phone: request.proxy.phone }
        : null,
      documents,
      promisedAt,
      lookupPinHash: hashLookupPin(pin, this.pinKey),
      receivedAt,
      receiptDay: localDateOf(receivedAt, this.config.TIME_ZONE),
      codeFormat: this.codeFormat,
      receivedBy: principal.officerId,
      // The request's trace goes with the row: the relay's start continues it (tracing on).
      outbox: { kind: START_DOSSIER_WORKFLOW, payload: { ...input, ...traceCarrier() } },
      handoff: origin
        ? {
            id: origin.handoffId,
            partner: origin.partner,
            segmentCode: origin.segmentCode,
            originDossierCode: origin.originDossierCode,
          }
        : undefined,
      submissionId,
      petition,
      reusedFiles: reused.map(({ documentCode, file }) => reusedCopy(documentCode, file, principal)),
      idempotency: idempotencyKey
        ? {
            scope: `${principal.officerId}:POST ${submissionId ? `/submissions/${submissionId}/receive` : '/dossiers'}`,
            key: idempotencyKey,
            requestHash: sha256(canonical(request)),
          }
        : undefined,
    });
    if (!replayed) {
      this.relay.wake();
    }
    const detail = event
      ? await this.reader.received(
          dossier,
          event,
          {
            code: request.procedureCode,
            name,
            resolvingAgency: version.resolvingAgencyCode,
          },
          principal.fullName,
        )
      : await this.reader.detail(dossier.code);
    const view = toDossierView(detail, principal, scoped);
    // A replay answers without the PIN: the first answer had it, and only its hash was kept (the desk can issue anew).
    const shownPin = replayed ? undefined : pin;
    return {
      view: {
        ...view,
        lookupPin: shownPin !== undefined && seesPin(principal) ? shownPin : null,
        receipt: buildReceipt(detail, principal, calendar, kase.processingTime, shownPin),
      },
      replayed,
      // For a caller who hands it on itself (a public petition's answer): the view shows it only to the desk.
      pin: shownPin,
    };
  }

  /**
   * The files of earlier dossiers an intake reuses instead of scanning the papers again (`documents[].reuseFileId`):
   * each must be a certified paper or a result of a dossier of the same applicant (personal ID or tax code) that the
   * caller's units have seen, standing for the paper it is: a certified scan only for the same document code it
   * certified. A result stands for a paper only where the procedure accepts the result as that paper; no procedure
   * of the catalog says so yet, so a result reuses as nothing (its document code is null). Anything else is the same
   * 422, so ids of other applicants' files tell nothing.
   */
  private async reusedFiles(
    principal: Principal,
    request: IntakeRequest,
    handoff: boolean,
  ): Promise<{ documentCode: string; file: ReusableFileRecord }[]> {
    const wanted = request.documents.flatMap((d, i) => (d.reuseFileId ? [{ i, code: d.code, id: d.reuseFileId }] : []));
    if (wanted.length === 0) {
      return [];
    }
    const found = new Map((await this.files.byIds(wanted.map((w) => w.id))).map((f) => [f.id, f]));
    const visible = await this.organisation.visibleUnits(principal);
    const errors: { field: string; message: string }[] = [];
    const reused: { documentCode: string; file: ReusableFileRecord }[] = [];
    for (const w of wanted) {
      const file = found.get(w.id);
      const seen =
        file && (visible === 'ALL' || (await this.queries.units(file.dossierCode)).some((u) => visible.has(u)));
      const reusable =
        file &&
        seen &&
        !handoff &&
        file.applicantIdNumber === request.applicant.idNumber &&
        file.supersededBy === null &&
        file.purgedAt === null &&
        (file.kind === 'RESULT' || file.certifiedAt !== null);
      if (!reusable) {
        errors.push({
          field: `documents[${w.i}].reuseFileId`,
          message: handoff
            ? 'must be absent: a hand-off carries no files of this system'
            : 'must be a certified paper or a result of an earlier dossier of the same applicant, in your units',
        });
      } else if (file.documentCode !== w.code) {
        errors.push({
          field: `documents[${w.i}].reuseFileId`,
          message:
            file.kind === 'RESULT'
              ? `must be a certified scan of ${w.code}: the procedure does not accept an earlier result as this paper`
              : `must be a certified scan of ${w.code}, the paper it stands for (it certifies ${file.documentCode})`,
        });
      } else {
        reused.push({ documentCode: w.code, file });
      }
    }
    if (errors.length > 0) {
      throw new DomainException(
        DomainErrorCode.VALIDATION_FAILED,
        'A file named for reuse cannot be reused; the dossier was not received.',
        errors,
      );
    }
    return reused;
  }

  /** The return time intake would promise if the dossier were received now, and why. */
  async promisedTime(principal: Principal, procedureCode: string, receivingUnitCode: string, caseCode?: string) {
    this.assertInUnit(principal, receivingUnitCode, 'receive dossiers for');
    const receivedAt = new Date();
    const { caseCode: chosen, procedure: kase } = await this.procedures.forIntake(procedureCode, caseCode, receivedAt);
    const { calendar } = await this.calendars.forScope(receivingUnitCode);
    const { amount, unit } = kase.processingTime;
    const { anchor, due } = kase.returnsImmediately
      ? { anchor: receivedAt, due: receivedAt }
      : calendar.due(receivedAt, amount, unit, kase.cutoff ?? {});
    const at = (d: Date): string => formatFormTime(calendar, d);
    const units: Record<string, string> = { WD: 'ngày làm việc', WH: 'giờ làm việc', CD: 'ngày' };
    const explanation = kase.returnsImmediately
      ? 'Thủ tục trả kết quả ngay trong ngày tiếp nhận.'
      : `${amount} ${units[unit] ?? unit} tính từ ${at(anchor)}` +
        (anchor.getTime() > receivedAt.getTime()
          ? ` (tiếp nhận lúc ${at(receivedAt)}, ngoài giờ hoặc sau giờ tiếp nhận, nên tính từ ngày làm việc tiếp theo)`
          : '') +
        `: hẹn trả kết quả lúc ${at(due)}.`;
    return {
      procedureCode,
      caseCode: chosen,
      receivedAt: receivedAt.toISOString(),
      anchorAt: anchor.toISOString(),
      promisedAt: due.toISOString(),
      processingTime: { amount, unit },
      explanation,
    };
  }

  /** The segment a partner handed over: one of the procedure's, owned by the unit that receives it here. */
  private handedSegment(kase: ProcedureCase, code: string, unit: string): InterAgencySegment {
    const segment = kase.segments?.find((s) => s.code === code);
    if (!segment) {
      throw new DomainException(DomainErrorCode.VALIDATION_FAILED, `The procedure has no segment ${code}.`, [
        {
          field: 'segment.code',
          message: `must be a segment of the procedure (${(kase.segments ?? []).map((s) => s.code).join(', ') || 'none: it is not a connected procedure'})`,
        },
      ]);
    }
    if (segment.agency !== unit) {
      throw new DomainException(DomainErrorCode.VALIDATION_FAILED, `Segment ${code} belongs to ${segment.agency}.`, [
        { field: 'segment.agency', message: `must be ${segment.agency}, the agency owning segment ${code}` },
      ]);
    }
    return segment;
  }

  private assertInUnit(principal: Principal, unitCode: string, what: string): void {
    if (!principal.unitCodes.includes(unitCode)) {
      throw new DomainException(
        DomainErrorCode.FORBIDDEN,
        `${principal.username} may not ${what} unit ${unitCode}; their units are ${principal.unitCodes.join(', ')}.`,
      );
    }
  }
}

/** The reused file's row in the new dossier: the same bytes, the earlier certification carried over. */
function reusedCopy(documentCode: string, file: ReusableFileRecord, principal: Principal) {
  return {
    kind: 'PAPER' as const,
    documentCode,
    fileName: file.fileName,
    contentType: file.contentType,
    sizeBytes: Number(file.sizeBytes),
    sha256: file.sha256,
    storageKey: file.storageKey,
    uploadedBy: principal.officerId,
    certifiedBy: file.kind === 'RESULT' ? file.uploadedBy : file.certifiedBy,
    certifiedAt: file.kind === 'RESULT' ? file.uploadedAt : file.certifiedAt,
    reusedFrom: file.reusedFrom ?? file.id,
  };
}
