import {
  applyDecorators,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { type Request, type Response } from 'express';
import { IsIn, Matches } from 'class-validator';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators';
import { type Principal } from '../auth/principal';
import { DOSSIER_CODE_SHAPE, type DossierAction } from '../../../../libs/domain/src';
import { ApiJsonOrPdf } from '../common/api-json-or-pdf.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { Audited } from '../audit/audited.decorator';
import { DossiersService } from './dossiers.service';
import { DossierFormsService } from './forms/dossier-forms.service';
import { FORMS, type FormName } from './forms/dossier-forms';
import { FormDocumentView } from './forms/form-document.view';
import {
  AssignRequest,
  CompleteRequest,
  EmptyActionRequest,
  RecordPaymentRequest,
  RefuseRequest,
  RequestExtensionRequest,
  RequestPaymentRequest,
  RequestSupplementRequest,
  ReturnStepRequest,
  SubmitSupplementRequest,
  WithdrawRequest,
} from './dto/action.dto';
import { DossierPage, DossierView } from './dto/dossier.view';
import { IntakeRequest, ReturnResultRequest } from './dto/intake.dto';
import { DossierListQuery } from './dto/list.query';
import { IntakeService } from './intake.service';

const IDEMPOTENCY_HEADER = {
  // Lower case, as @Headers() reads it: one parameter in the document, not two.
  name: 'idempotency-key',
  required: false,
  description: 'Retrying with the same key and body returns the first result; another body gets 409',
};

/** Why an officer reads or changes a dossier, unless they say otherwise (X-Purpose). */
const PROCESSING = 'dossier processing';

/** An officer action: the dossier as it stands after it, or why the workflow refused it. */
const ApiAction = () =>
  applyDecorators(
    Audited({
      action: 'dossier.change',
      purpose: PROCESSING,
      details: (request: Request) => ({ action: request.path.split('/').pop() }),
    }),
    ApiHeader(IDEMPOTENCY_HEADER),
    ApiOkResponse({ type: DossierView, description: 'The dossier after the action' }),
    ApiProblems(403, 404, 409, 422, 503),
  );

const wantsPdf = (accept: string | undefined): boolean => accept?.includes('application/pdf') === true;

export class DossierCodeParam {
  @ApiProperty({ example: '000.00.20.H36-260316-0007', description: 'The dossier code printed on the receipt' })
  // Either pattern (DOSSIER_CODE_PATTERN): the codes issued before a change of pattern stay reachable.
  @Matches(DOSSIER_CODE_SHAPE, { message: 'code must be a dossier code like 000.00.20.H36-260316-0007' })
  code!: string;
}

export class DossierFormParam extends DossierCodeParam {
  @ApiProperty({ enum: FORMS, description: 'Which form of Circular 03/2025' })
  @IsIn(FORMS, { message: `form must be one of ${FORMS.join(', ')}` })
  form!: FormName;
}

@ApiTags('dossiers')
@ApiBearerAuth()
@ApiProblems(401)
@Controller({ path: 'dossiers', version: '1' })
export class DossiersController {
  constructor(
    private readonly dossiers: DossiersService,
    private readonly intake: IntakeService,
    private readonly forms: DossierFormsService,
  ) {}

  @Post()
  @RequireRoles('DESK_CLERK', 'AGENCY_SYSTEM')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({
    summary:
      'Receive a dossier: checks its documents, stores it with its code and receipt (form 01), starts processing',
    description: 'A missing mandatory document → 422 with `guidance` (the content of form 02); nothing is stored.',
  })
  @ApiCreatedResponse({
    type: DossierView,
    description: 'Received: the dossier with its receipt (form 01); a replay answers the first result again',
    headers: {
      Location: { description: 'The dossier', schema: { type: 'string' } },
      'Idempotent-Replayed': { description: '`true` when this repeats an earlier request', schema: { type: 'string' } },
    },
  })
  @ApiProblems(403, 409, 422)
  @Audited({
    action: 'dossier.receive',
    purpose: 'receiving the dossier',
    dossier: (_request, view) => (view as DossierView).code,
    // Another dossier's files taken over for this one: which, so reading them through reuse is on the record.
    details: (request) => ({
      reusedFiles: ((request.body as IntakeRequest).documents ?? []).flatMap((d) => d.reuseFileId ?? []),
    }),
  })
  async receive(
    @CurrentPrincipal() principal: Principal,
    @Body() body: IntakeRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DossierView> {
    const { view, replayed } = await this.intake.receive(principal, body, { idempotencyKey });
    res.status(201).location(`/api/v1/dossiers/${view.code}`);
    if (replayed) {
      res.setHeader('Idempotent-Replayed', 'true');
    }
    return view;
  }

  @Get()
  @ApiOperation({ summary: 'Dossiers the caller may see; `assignedTo=me` is the worklist, by remaining working time' })
  @ApiOkResponse({ type: DossierPage })
  @ApiProblems(422)
  @Audited({
    action: 'dossier.list',
    purpose: PROCESSING,
    // The dossiers shown and the filters used; what was searched for is the citizen's data, not the audit's.
    details: (request, page) => ({
      filters: Object.keys(request.query).sort(),
      codes: (page as DossierPage).items.map((i) => i.code),
    }),
  })
  list(@CurrentPrincipal() principal: Principal, @Query() query: DossierListQuery): Promise<DossierPage> {
    return this.dossiers.list(principal, {
      ...query,
      limit: query.limit ?? 50,
      offset: query.offset ?? 0,
    });
  }

  @Get(':code')
  @ApiOperation({
    summary: 'A dossier: state, current step, holder, due time and why, remaining working time, history',
  })
  @ApiOkResponse({ type: DossierView })
  @ApiProblems(404, 422)
  @Audited({ action: 'dossier.read', purpose: PROCESSING })
  get(@CurrentPrincipal() principal: Principal, @Param() params: DossierCodeParam): Promise<DossierView> {
    return this.dossiers.get(principal, params.code);
  }

  @Get(':code/documents/:form')
  @ApiOperation({ summary: 'Forms 01–06 of Circular 03/2025 as JSON, or PDF with `Accept: application/pdf`' })
  @ApiJsonOrPdf(FormDocumentView, 'The form as data and as it prints, or its PDF')
  @ApiProblems(404, 422)
  @Audited({
    action: 'dossier.form.read',
    purpose: 'printing a form',
    details: (request) => ({ form: request.params.form, format: wantsPdf(request.headers.accept) ? 'pdf' : 'json' }),
  })
  async document(
    @CurrentPrincipal() principal: Principal,
    @Param() params: DossierFormParam,
    @Headers('accept') accept: string | undefined,
  ): Promise<unknown> {
    if (wantsPdf(accept)) {
      // Returned, not sent: the audit row is written before the form leaves.
      return new StreamableFile(await this.forms.pdf(principal, params.code, params.form), {
        type: 'application/pdf',
        disposition: `inline; filename="${params.code}-${params.form}.pdf"`,
      });
    }
    return this.forms.json(principal, params.code, params.form);
  }

  // ── officer actions: each is a Temporal Update; the workflow answers with the outcome ──

  @Post(':code/actions/claim')
  @HttpCode(200)
  @ApiAction()
  @ApiOperation({ summary: "Take the current step (the caller's role and unit must match it)" })
  claim(
    @CurrentPrincipal() p: Principal,
    @Param() params: DossierCodeParam,
    @Body() _b: EmptyActionRequest,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.act(p, params.code, { action: 'claim' }, key);
  }

  @Post(':code/actions/assign')
  @HttpCode(200)
  @ApiAction()
  @ApiOperation({ summary: 'A head assigns the current step to an officer of the right role and unit' })
  async assign(
    @CurrentPrincipal() p: Principal,
    @Param() params: DossierCodeParam,
    @Body() b: AssignRequest,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.act(
      p,
      params.code,
      { action: 'assign', assignee: await this.dossiers.assignee(b.assignee, 'assignee') },
      key,
    );
  }

  @Post(':code/actions/complete')
  @HttpCode(200)
  @ApiAction()
  @ApiOperation({ summary: 'The holder completes the step and hands the dossier to the next one' })
  async complete(
    @CurrentPrincipal() p: Principal,
    @Param() params: DossierCodeParam,
    @Body() b: CompleteRequest,
    @Headers('idempotency-key') key?: string,
  ) {
    const assignee = b.assignee ? await this.dossiers.assignee(b.assignee, 'assignee') : undefined;
    return this.act(p, params.code, { action: 'complete', note: b.note, nextStep: b.nextStep, assignee }, key);
  }

  @Post(':code/actions/return')
  @HttpCode(200)
  @ApiAction()
  @ApiOperation({ summary: 'The holder sends the dossier back to an earlier step, with a reason' })
  sendBack(
    @CurrentPrincipal() p: Principal,
    @Param() params: DossierCodeParam,
    @Body() b: ReturnStepRequest,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.act(p, params.code, { action: 'return', toStep: b.toStep, reason: b.reason }, key);
  }

  @Post(':code/actions/request-supplement')
  @HttpCode(200)
  @ApiAction()
  @ApiOperation({
    summary: "Ask the applicant for documents (form 02); the clock pauses or restarts per the procedure's policy",
  })
  requestSupplement(
    @CurrentPrincipal() p: Principal,
    @Param() params: DossierCodeParam,
    @Body() b: RequestSupplementRequest,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.act(p, params.code, { action: 'request-supplement', items: b.items, reason: b.reason }, key);
  }

  @Post(':code/actions/submit-supplement')
  @HttpCode(200)
  @ApiAction()
  @ApiOperation({
    summary: 'The desk records the completed dossier; the clock resumes (PAUSE) or starts again (RESTART)',
  })
  submitSupplement(
    @CurrentPrincipal() p: Principal,
    @Param() params: DossierCodeParam,
    @Body() b: SubmitSupplementRequest,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.act(p, params.code, { action: 'submit-supplement', note: b.note }, key);
  }

  @Post(':code/actions/refuse')
  @HttpCode(200)
  @ApiAction()
  @ApiOperation({ summary: 'Refuse on the merits, with reasons (form 03); the answer goes back through the desk' })
  refuse(
    @CurrentPrincipal() p: Principal,
    @Param() params: DossierCodeParam,
    @Body() b: RefuseRequest,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.act(p, params.code, { action: 'refuse', reasons: b.reasons }, key);
  }

  @Post(':code/actions/request-extension')
  @HttpCode(200)
  @ApiAction()
  @ApiOperation({
    summary: 'Apology and new return time (form 04): once, at least 1 WD before the due time, by the unit head',
  })
  requestExtension(
    @CurrentPrincipal() p: Principal,
    @Param() params: DossierCodeParam,
    @Body() b: RequestExtensionRequest,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.act(
      p,
      params.code,
      { action: 'request-extension', extraWorkingDays: b.extraWorkingDays, reason: b.reason },
      key,
    );
  }

  @Post(':code/actions/withdraw')
  @HttpCode(200)
  @ApiAction()
  @ApiOperation({ summary: 'The applicant withdraws before a decision (recorded by the desk; stop notice, form 05)' })
  withdraw(
    @CurrentPrincipal() p: Principal,
    @Param() params: DossierCodeParam,
    @Body() b: WithdrawRequest,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.act(p, params.code, { action: 'withdraw', reason: b.reason }, key);
  }

  @Post(':code/actions/request-payment')
  @HttpCode(200)
  @ApiAction()
  @ApiOperation({
    summary:
      "The holder asks for a financial obligation (by default the procedure case's fees); the clock pauses until it is paid",
  })
  async requestPayment(
    @CurrentPrincipal() p: Principal,
    @Param() params: DossierCodeParam,
    @Body() b: RequestPaymentRequest,
    @Headers('idempotency-key') key?: string,
  ) {
    const fee = await this.dossiers.feeToRequest(p, params.code, b);
    return this.act(p, params.code, { action: 'request-payment', ...fee }, key);
  }

  @Post(':code/actions/record-payment')
  @HttpCode(200)
  @ApiAction()
  @ApiOperation({
    summary:
      'The desk records the payment of the open fee, in full (422 otherwise; 409 when no fee is open, or the gateway has it); a dossier waiting for it resumes',
  })
  recordPayment(
    @CurrentPrincipal() p: Principal,
    @Param() params: DossierCodeParam,
    @Body() b: RecordPaymentRequest,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.dossiers.recordDeskPayment(
      p,
      params.code,
      { amount: b.amount, method: b.method, reference: b.reference },
      key,
    );
  }

  @Post(':code/actions/return-result')
  @HttpCode(200)
  @ApiAction()
  @ApiOperation({ summary: 'Return the result to the applicant (in person, by post, or electronically)' })
  returnResult(
    @CurrentPrincipal() p: Principal,
    @Param() params: DossierCodeParam,
    @Body() b: ReturnResultRequest,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.act(p, params.code, { action: 'return-result', deliveryMethod: b.deliveryMethod, note: b.note }, key);
  }

  private act(principal: Principal, code: string, action: DossierAction, key?: string): Promise<DossierView> {
    return this.dossiers.act(principal, code, action, key);
  }
}
