import { Body, Controller, HttpCode, Ip, Param, Post, UseGuards, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { ApiProblems } from '../common/api-problems.decorator';
import { PaymentLinkView } from '../payments/payment.view';
import { PaymentsService } from '../payments/payments.service';
import { PublicLookupService } from './public-lookup.service';
import { PublicLookupRequest, PublicDossierStatus } from './public-lookup.dto';
import { PublicLookupThrottlerGuard } from './public-lookup.guard';

/** The citizen's status lookup: the dossier code and the PIN printed on the receipt, nothing personal back. */
@ApiTags('public')
@ApiParam({ name: 'code', example: '000.00.20.H36-260316-0007', description: 'The dossier code on the receipt' })
@ApiProblems(404, 409, 422, 429)
@Controller({ path: 'public/v1/dossiers', version: VERSION_NEUTRAL })
@Public()
@UseGuards(PublicLookupThrottlerGuard)
export class PublicLookupController {
  constructor(
    private readonly lookup: PublicLookupService,
    private readonly payments: PaymentsService,
  ) {}

  @Post(':code/lookup')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Status of a dossier for its applicant (code + PIN from the receipt, the PIN in the body so it stays out of URLs and logs); rate limited, locked after too many wrong PINs (409)',
  })
  @ApiOkResponse({ type: PublicDossierStatus })
  lookupStatus(@Param('code') code: string, @Body() body: PublicLookupRequest): Promise<PublicDossierStatus> {
    return this.lookup.status(code, body.pin);
  }

  @Post(':code/payment-link')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'The link to pay the dossier’s open fee online at the payment gateway (code + PIN from the receipt); 409 when there is no fee to pay or no gateway',
  })
  @ApiOkResponse({ type: PaymentLinkView })
  async paymentLink(
    @Param('code') code: string,
    @Body() body: PublicLookupRequest,
    @Ip() ip: string,
  ): Promise<PaymentLinkView> {
    const dossier = await this.lookup.verifiedDossier(code, body.pin);
    return this.payments.payLink(dossier, ip);
  }
}
