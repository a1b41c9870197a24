import { Controller, Get, Param, Query, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Public, RequireRoles } from '../auth/auth.decorators';
import { type Principal } from '../auth/principal';
import { Audited } from '../audit/audited.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { DossierCodeParam } from '../dossiers/dossiers.controller';
import { DossiersService } from '../dossiers/dossiers.service';
import { IpnAnswerView, PaymentReceiptView, PaymentReturnView, RefundDueView } from './payment.view';
import { PaymentsService } from './payments.service';
import { type IpnAnswer } from './vnpay-protocol';

/** A dossier's fees and how each was paid (online through the gateway, or at the desk). */
@ApiTags('dossiers')
@ApiBearerAuth()
@ApiProblems(401)
@Controller({ path: 'dossiers', version: '1' })
export class DossierPaymentsController {
  constructor(
    private readonly dossiers: DossiersService,
    private readonly payments: PaymentsService,
  ) {}

  @Get(':code/payments')
  @ApiOperation({ summary: 'The receipts of a dossier: each fee, amount, channel, time and transaction reference' })
  @ApiOkResponse({ type: [PaymentReceiptView] })
  @ApiProblems(404, 422)
  @Audited({ action: 'dossier.payments.read', purpose: 'dossier processing' })
  async receipts(@CurrentPrincipal() principal: Principal, @Param() params: DossierCodeParam) {
    await this.dossiers.assertVisible(principal, params.code);
    return this.payments.receipts(params.code);
  }
}

/** The gateway's payments the desks must refund (money taken for a fee already paid, or cancelled). */
@ApiTags('payments')
@ApiBearerAuth()
@ApiProblems(401, 403)
@Controller({ path: 'payments', version: '1' })
export class RefundsDueController {
  constructor(private readonly payments: PaymentsService) {}

  @Get('refunds-due')
  @RequireRoles('DESK_CLERK', 'UNIT_HEAD', 'AGENCY_LEADER', 'ADMIN')
  @ApiOperation({
    summary:
      "The gateway's payments due back to citizens (REFUND_DUE), of the dossiers received in the caller's units (heads: their subtrees), oldest first",
  })
  @ApiQuery({ name: 'unit', required: false, description: "One receiving unit in the caller's scope (403 outside)" })
  @ApiOkResponse({ type: [RefundDueView] })
  @Audited({ action: 'payments.refunds-due.read', purpose: 'refunding payments' })
  refundsDue(@CurrentPrincipal() principal: Principal, @Query('unit') unit?: string): Promise<RefundDueView[]> {
    return this.payments.refundsDue(principal, unit || undefined);
  }
}

/**
 * The payment gateway's side: its instant payment notification (server to server, GET with the vnp_* query, as the
 * gateway sends it) and the page the citizen's browser comes back to. Both public: the gateway's signature is what
 * they trust.
 */
@ApiTags('public')
@Public()
@Controller({ path: 'public/v1/payments/gateway', version: VERSION_NEUTRAL })
export class PaymentGatewayController {
  constructor(private readonly payments: PaymentsService) {}

  @Get('ipn')
  @ApiOperation({
    summary:
      "The gateway's instant payment notification (VNPay 2.1.0 IPN): verified, idempotent, answered {RspCode, Message}",
  })
  @ApiOkResponse({ type: IpnAnswerView })
  ipn(@Query() query: Record<string, unknown>): Promise<IpnAnswer> {
    return this.payments.ipn(query);
  }

  @Get('return')
  @ApiOperation({
    summary: "Where the citizen's browser comes back from the gateway: the fee's state (it never records a payment)",
  })
  @ApiOkResponse({ type: PaymentReturnView })
  returned(@Query() query: Record<string, unknown>): Promise<PaymentReturnView> {
    return this.payments.returned(query);
  }
}
