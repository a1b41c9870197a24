import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators';
import { Audited } from '../audit/audited.decorator';
import { type Principal } from '../auth/principal';
import { ApiJsonOrPdf } from '../common/api-json-or-pdf.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { DossierView } from '../dossiers/dto/dossier.view';
import { FormDocumentView } from '../dossiers/forms/form-document.view';
import {
  CounterRefusalRequest,
  ReceiveSubmissionRequest,
  RefuseSubmissionRequest,
  SubmissionIdParam,
  SubmissionListQuery,
  SubmitRequest,
} from './dto/submission.dto';
import { SubmissionPage, SubmissionView } from './dto/submission.view';
import { SubmissionsService } from './submissions.service';

const IDEMPOTENCY_HEADER = {
  name: 'idempotency-key',
  required: false,
  description: 'Retrying with the same key and body returns the first result; another body gets 409',
};

/** Why an officer reads or decides an application, unless they say otherwise (X-Purpose). */
const PURPOSE = 'checking an application before reception';

const CREATED_HEADERS = {
  Location: { description: 'What was created', schema: { type: 'string' } },
  'Idempotent-Replayed': { description: '`true` when this repeats an earlier request', schema: { type: 'string' } },
};

/**
 * Applications before reception (hồ sơ chưa tiếp nhận): submitted online and waiting at a desk (national status 1),
 * received by a clerk (they become dossiers, status 2) or refused with reasons (form 03, status 3), also at the
 * counter. No clock runs and no dossier code exists before reception.
 */
@ApiTags('submissions')
@ApiBearerAuth()
@ApiProblems(401)
@Controller({ path: 'submissions', version: '1' })
export class SubmissionsController {
  constructor(private readonly submissions: SubmissionsService) {}

  @Post()
  @RequireRoles('AGENCY_SYSTEM')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary: 'The online portal submits an application: it waits at its desk (status 1), no clock, no code yet',
    description:
      'Checked as intake checks it (procedure in force, documents of its list); a missing mandatory document → 422 ' +
      'with `guidance` (form 02). The desk then receives it (`POST /submissions/{id}/receive`) or refuses it.',
  })
  @ApiCreatedResponse({ type: SubmissionView, description: 'Waiting at the desk', headers: CREATED_HEADERS })
  @ApiProblems(403, 409, 422)
  @Audited({
    action: 'submission.submit',
    purpose: 'online application',
    details: (_request, view) => ({ submission: (view as SubmissionView).id }),
  })
  async submit(
    @CurrentPrincipal() principal: Principal,
    @Body() body: SubmitRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubmissionView> {
    const { view, replayed } = await this.submissions.submit(principal, body, idempotencyKey);
    return created(res, `/api/v1/submissions/${view.id}`, replayed, view);
  }

  @Post('refusals')
  @RequireRoles('DESK_CLERK')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary: 'Refuse an applicant at the counter (not in scope, not eligible): form 03 with the reasons, no dossier',
    description: 'Recorded as an application refused at once (status 3); it is not received and counts in no figure.',
  })
  @ApiCreatedResponse({
    type: SubmissionView,
    description: 'Refused, with its form 03 (`refusalSlip`)',
    headers: CREATED_HEADERS,
  })
  @ApiProblems(403, 409, 422)
  @Audited({
    action: 'submission.refuse',
    purpose: 'refusing an applicant at the counter',
    details: (_request, view) => ({ submission: (view as SubmissionView).id, at: 'counter' }),
  })
  async refuseAtCounter(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CounterRefusalRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubmissionView> {
    const { view, replayed } = await this.submissions.refuseAtCounter(principal, body, idempotencyKey);
    return created(res, `/api/v1/submissions/${view.id}`, replayed, view);
  }

  @Get()
  @ApiOperation({
    summary: "Applications at the caller's desks; `state=SUBMITTED` is the waiting list, first come first served",
  })
  @ApiOkResponse({ type: SubmissionPage })
  @ApiProblems(422)
  @Audited({
    action: 'submission.list',
    purpose: PURPOSE,
    // The applications shown and the filters used (each item carries its applicant's name and ID number).
    details: (request, page) => ({
      filters: Object.keys(request.query).sort(),
      submissions: (page as SubmissionPage).items.map((i) => i.id),
    }),
  })
  list(@CurrentPrincipal() principal: Principal, @Query() query: SubmissionListQuery): Promise<SubmissionPage> {
    return this.submissions.list(principal, {
      state: query.state,
      unit: query.unit,
      limit: query.limit ?? 50,
      offset: query.offset ?? 0,
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'An application: its state, documents, and the dossier it became or why it was refused' })
  @ApiOkResponse({ type: SubmissionView })
  @ApiProblems(403, 404, 422)
  @Audited({ action: 'submission.read', purpose: PURPOSE, details: (request) => ({ submission: request.params.id }) })
  get(@CurrentPrincipal() principal: Principal, @Param() params: SubmissionIdParam): Promise<SubmissionView> {
    return this.submissions.get(principal, params.id);
  }

  @Post(':id/receive')
  @RequireRoles('DESK_CLERK')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary: 'Receive a waiting application: it becomes a dossier with its code and receipt (form 01), clock from now',
    description:
      'The documents are checked against the procedure version in force now; a missing one → 422 with `guidance` ' +
      'and the application keeps waiting. Already received or refused → 409.',
  })
  @ApiCreatedResponse({
    type: DossierView,
    description: 'The dossier, with its receipt; the application names it from now on',
    headers: CREATED_HEADERS,
  })
  @ApiProblems(403, 404, 409, 422, 503)
  @Audited({
    action: 'dossier.receive',
    purpose: 'receiving the dossier',
    dossier: (_request, view) => (view as DossierView).code,
    details: (request) => ({ submission: request.params.id }),
  })
  async receive(
    @CurrentPrincipal() principal: Principal,
    @Param() params: SubmissionIdParam,
    @Body() _body: ReceiveSubmissionRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DossierView> {
    const { view, replayed } = await this.submissions.receive(principal, params.id, idempotencyKey);
    return created(res, `/api/v1/dossiers/${view.code}`, replayed, view);
  }

  @Post(':id/refuse')
  @HttpCode(200)
  @RequireRoles('DESK_CLERK')
  @ApiOperation({
    summary: 'Refuse a waiting application with reasons (form 03, status 3); the portal tells the applicant',
  })
  @ApiOkResponse({ type: SubmissionView, description: 'Refused, with its form 03 (`refusalSlip`)' })
  @ApiProblems(403, 404, 409, 422)
  @Audited({
    action: 'submission.refuse',
    purpose: PURPOSE,
    details: (request) => ({ submission: request.params.id, at: 'desk' }),
  })
  refuse(
    @CurrentPrincipal() principal: Principal,
    @Param() params: SubmissionIdParam,
    @Body() body: RefuseSubmissionRequest,
  ): Promise<SubmissionView> {
    return this.submissions.refuse(principal, params.id, body.reasons);
  }

  @Get(':id/documents/refusal')
  @ApiOperation({
    summary: 'Form 03 (phiếu từ chối tiếp nhận) of a refused application, as JSON or PDF (`Accept: application/pdf`)',
  })
  @ApiJsonOrPdf(FormDocumentView, 'The form as data and as it prints, or its PDF')
  @ApiProblems(403, 404, 422)
  @Audited({
    action: 'submission.form.read',
    purpose: 'printing a form',
    details: (request) => ({
      submission: request.params.id,
      form: 'refusal',
      format: request.headers.accept?.includes('application/pdf') ? 'pdf' : 'json',
    }),
  })
  async refusalSlip(
    @CurrentPrincipal() principal: Principal,
    @Param() params: SubmissionIdParam,
    @Headers('accept') accept: string | undefined,
  ): Promise<unknown> {
    if (accept?.includes('application/pdf')) {
      // Returned, not sent: the audit row is written before the form leaves.
      return new StreamableFile(await this.submissions.refusalSlipPdf(principal, params.id), {
        type: 'application/pdf',
        disposition: `inline; filename="tu-choi-${params.id}.pdf"`,
      });
    }
    return this.submissions.refusalSlip(principal, params.id);
  }
}

function created<T>(res: Response, location: string, replayed: boolean, view: T): T {
  res.status(201).location(location);
  if (replayed) {
    res.setHeader('Idempotent-Replayed', 'true');
  }
  return view;
}
