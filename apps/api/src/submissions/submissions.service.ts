import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type ApplicantType,
  DomainErrorCode,
  DomainException,
  type SubmissionState,
} from '../../../../libs/domain/src';
import {
  assertSubmissionWaiting,
  DossierQueryStore,
  type SubmissionRow,
  SubmissionStore,
} from '../../../../libs/persistence/src';
import { type Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { type DossierView } from '../dossiers/dto/dossier.view';
import { type IntakeRequest } from '../dossiers/dto/intake.dto';
import { type FormDocument } from '../dossiers/forms/dossier-forms';
import { renderFormPdf } from '../dossiers/forms/pdf-renderer';
import { checkHandedDocuments } from '../dossiers/handed-documents';
import { IntakeService } from '../dossiers/intake.service';
import { OrganisationService } from '../organisation/organisation.service';
import { OutboxRelayService } from '../outbox/outbox-relay.service';
import { ProceduresService } from '../procedures/procedures.service';
import { type CounterRefusalRequest, type SubmitRequest } from './dto/submission.dto';
import { type SubmissionPage, type SubmissionView } from './dto/submission.view';
import { buildDeskRefusal } from './refusal-slip';
import { SubmissionAccess } from './submission-access';
import { SubmissionFilesService } from './submission-files.service';
import { toSubmissionView } from './submission.mapper';

const requestHash = (body: unknown): string => createHash('sha256').update(JSON.stringify(body)).digest('hex');

/**
 * Applications before reception (domain §2.1). Online ones arrive from the portal and wait at their desk (national
 * status 1): no clock, no code. A clerk receives one — it becomes a dossier through the same intake as at the
 * counter, its clock and receipt (form 01) starting at the reception — or refuses it with reasons (form 03, status 3).
 * An applicant refused at the counter is recorded the same way, refused at once.
 */
@Injectable()
export class SubmissionsService {
  constructor(
    private readonly store: SubmissionStore,
    private readonly intake: IntakeService,
    private readonly procedures: ProceduresService,
    private readonly calendars: CalendarService,
    private readonly organisation: OrganisationService,
    private readonly queries: DossierQueryStore,
    private readonly relay: OutboxRelayService,
    private readonly access: SubmissionAccess,
    private readonly files: SubmissionFilesService,
  ) {}

  /**
   * The portal files an application: checked as intake checks it, then waiting at the desk (status 1). The portal
   * serves the whole deployment: any desk of the organisation may be named (an unknown one is a 422).
   */
  async submit(
    principal: Principal,
    request: SubmitRequest,
    idempotencyKey?: string,
  ): Promise<{ view: SubmissionView; replayed: boolean }> {
    const { version, caseCode, procedure } = await this.procedures.forIntake(
      request.procedureCode,
      request.caseCode,
      new Date(),
    );
    const documents = checkHandedDocuments(request, procedure, version.procedureName);
    const { submission, replayed } = await this.store.submit({
      ...this.applicationOf(request, 'ONLINE'),
      caseCode,
      documents,
      submittedAt: new Date(),
      submittedBy: principal.officerId,
      idempotency: idempotencyKey
        ? { scope: `${principal.officerId}:POST /submissions`, key: idempotencyKey, requestHash: requestHash(request) }
        : undefined,
    });
    this.relay.wake();
    return { view: toSubmissionView(submission, principal), replayed };
  }

  /** An applicant refused at the counter: recorded refused at once (status 3), with its form 03. */
  async refuseAtCounter(
    principal: Principal,
    request: CounterRefusalRequest,
    idempotencyKey?: string,
  ): Promise<{ view: SubmissionView; replayed: boolean }> {
    this.assertAtDesk(principal, request.receivingUnitCode);
    if (!(await this.queries.procedure(request.procedureCode))) {
      throw new DomainException(
        DomainErrorCode.VALIDATION_FAILED,
        `No procedure has the code ${request.procedureCode}.`,
        [{ field: 'procedureCode', message: 'must be a procedure of the catalog' }],
      );
    }
    const { submission, replayed } = await this.store.submit({
      ...this.applicationOf(request, request.channel),
      caseCode: null,
      documents: [],
      submittedAt: new Date(),
      submittedBy: principal.officerId,
      refusal: { reasons: request.reasons },
      idempotency: idempotencyKey
        ? {
            scope: `${principal.officerId}:POST /submissions/refusals`,
            key: idempotencyKey,
            requestHash: requestHash(request),
          }
        : undefined,
    });
    this.relay.wake();
    return { view: await this.withSlip(submission, principal), replayed };
  }

  /** The desk's clerk receives a waiting application: it becomes a dossier, received now (status 2, then 4). */
  async receive(
    principal: Principal,
    id: string,
    idempotencyKey?: string,
  ): Promise<{ view: DossierView; replayed: boolean }> {
    const s = await this.visible(principal, id);
    this.assertAtDesk(principal, s.receivingUnitCode);
    // Decided already: say so before checking papers. A retry with its Idempotency-Key replays the reception instead.
    if (!(idempotencyKey && s.state === 'RECEIVED')) {
      assertSubmissionWaiting(id, s);
    }
    const request: IntakeRequest = {
      procedureCode: s.procedureCode,
      caseCode: s.caseCode ?? undefined,
      receivingUnitCode: s.receivingUnitCode,
      channel: 'ONLINE',
      applicant: { ...s.applicant, type: s.applicant.type as ApplicantType, ...s.applicantContact },
      proxy: s.proxy ?? undefined,
      documents: s.documents.map((d) => ({ code: d.code, count: d.count })),
    };
    return this.intake.receive(principal, request, { idempotencyKey, submissionId: s.id });
  }

  /** The desk's clerk refuses a waiting application with reasons (form 03, status 3); the portal tells the applicant. */
  async refuse(principal: Principal, id: string, reasons: string[]): Promise<SubmissionView> {
    const s = await this.visible(principal, id);
    this.assertAtDesk(principal, s.receivingUnitCode);
    assertSubmissionWaiting(id, s);
    const refused = await this.store.refuse(id, { reasons, by: principal.officerId, at: new Date() });
    this.relay.wake();
    // Not received, its scans have no purpose left: they go now, not at the end of a retention period.
    await this.files.discard(id);
    return this.withSlip(refused, principal);
  }

  async get(principal: Principal, id: string): Promise<SubmissionView> {
    return toSubmissionView(await this.visible(principal, id), principal);
  }

  /** Applications the caller may see: their desks' (heads: their subtree's), and those a portal submitted. */
  async list(
    principal: Principal,
    filter: { state?: SubmissionState; unit?: string; limit: number; offset: number },
  ): Promise<SubmissionPage> {
    const visible = await this.organisation.visibleUnits(principal);
    const { total, items } = await this.store.list({
      visibleUnits: visible === 'ALL' ? 'ALL' : [...visible],
      submittedBy: principal.officerId,
      ...filter,
    });
    return {
      total,
      limit: filter.limit,
      offset: filter.offset,
      items: items.map((s) => toSubmissionView(s, principal)),
    };
  }

  /** Form 03 of a refused application, as data and as it prints. */
  async refusalSlip(principal: Principal, id: string): Promise<FormDocument> {
    const s = await this.visible(principal, id);
    const { calendar } = await this.calendars.forScope(s.receivingUnitCode);
    return buildDeskRefusal(s, principal, calendar);
  }

  async refusalSlipPdf(principal: Principal, id: string): Promise<Buffer> {
    const doc = await this.refusalSlip(principal, id);
    const desk = (doc.data.desk as { name: string }).name;
    return renderFormPdf(doc, desk);
  }

  private async withSlip(s: SubmissionRow, principal: Principal): Promise<SubmissionView> {
    const { calendar } = await this.calendars.forScope(s.receivingUnitCode);
    return { ...toSubmissionView(s, principal), refusalSlip: buildDeskRefusal(s, principal, calendar) };
  }

  private applicationOf(
    request: Pick<IntakeRequest, 'procedureCode' | 'receivingUnitCode' | 'applicant' | 'proxy'>,
    channel: string,
  ) {
    const { applicant, proxy } = request;
    return {
      receivingUnitCode: request.receivingUnitCode,
      procedureCode: request.procedureCode,
      channel,
      applicant: { type: applicant.type, idNumber: applicant.idNumber, name: applicant.name },
      applicantContact: { address: applicant.address, phone: applicant.phone, email: applicant.email },
      proxy: proxy ? { name: proxy.name, idNumber: proxy.idNumber, phone: proxy.phone } : null,
    };
  }

  private visible(principal: Principal, id: string): Promise<SubmissionRow> {
    return this.access.visible(principal, id);
  }

  /** Only a clerk of the desk an application is at receives or refuses it. */
  private assertAtDesk(principal: Principal, unitCode: string): void {
    if (!principal.unitCodes.includes(unitCode)) {
      throw new DomainException(
        DomainErrorCode.FORBIDDEN,
        `${principal.username} may not decide on applications at unit ${unitCode}; their units are ${principal.unitCodes.join(', ')}.`,
      );
    }
  }
}
