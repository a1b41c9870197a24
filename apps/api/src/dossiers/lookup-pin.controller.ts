import { Body, Controller, Headers, HttpCode, Param, Post, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { Audited } from '../audit/audited.decorator';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators';
import { type Principal } from '../auth/principal';
import { ApiJsonOrPdf } from '../common/api-json-or-pdf.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { DossierCodeParam } from './dossiers.controller';
import { FormDocumentView } from './forms/form-document.view';
import { LookupPinService } from './lookup-pin.service';

export class IssuedPinView {
  @ApiProperty({ example: '000.00.20.H36-260316-0007' }) code!: string;
  @ApiProperty({ example: '042917', description: 'The new PIN: shown this once, stored only hashed' }) pin!: string;
  @ApiProperty() issuedAt!: string;
}

export class ReceiptPinRequest {
  @ApiProperty({ example: '042917', description: "The dossier's current PIN, as intake or a reissue showed it" })
  @Matches(/^\d{6}$/, { message: 'pin must be six digits' })
  pin!: string;
}

/** The desk's side of the citizens' lookup PIN. */
@ApiTags('dossiers')
@ApiBearerAuth()
@ApiProblems(401, 403, 404, 422)
@RequireRoles('DESK_CLERK', 'ADMIN')
@Controller({ path: 'dossiers', version: '1' })
export class LookupPinController {
  constructor(private readonly pins: LookupPinService) {}

  @Post(':code/lookup-pin')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Issue the citizen a new lookup PIN (lost, or the lookup locked after wrong PINs): the old one stops working, the lookup unlocks; the desk of the receiving unit, or an admin',
  })
  @ApiOkResponse({ type: IssuedPinView })
  @Audited({
    action: 'dossier.change',
    purpose: 'issuing the citizen a new lookup PIN',
    details: () => ({ action: 'lookup-pin' }),
  })
  reissue(@CurrentPrincipal() principal: Principal, @Param() params: DossierCodeParam): Promise<IssuedPinView> {
    return this.pins.reissue(principal, params.code);
  }

  @Post(':code/documents/receipt')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Form 01 with the lookup PIN printed on it, JSON or PDF with `Accept: application/pdf`: the PIN must be the current one (the server keeps only its hash)',
  })
  @ApiJsonOrPdf(FormDocumentView, 'The receipt with its PIN, as data and as it prints, or its PDF')
  @Audited({
    action: 'dossier.form.read',
    purpose: 'printing a form',
    details: (request) => ({
      form: 'receipt',
      withPin: true,
      format: request.headers.accept?.includes('application/pdf') ? 'pdf' : 'json',
    }),
  })
  async receipt(
    @CurrentPrincipal() principal: Principal,
    @Param() params: DossierCodeParam,
    @Body() body: ReceiptPinRequest,
    @Headers('accept') accept: string | undefined,
  ): Promise<unknown> {
    if (accept?.includes('application/pdf')) {
      // Returned, not sent: the audit row is written before the form leaves.
      return new StreamableFile(await this.pins.receiptPdf(principal, params.code, body.pin), {
        type: 'application/pdf',
        disposition: `inline; filename="${params.code}-receipt.pdf"`,
      });
    }
    return this.pins.receipt(principal, params.code, body.pin);
  }
}
