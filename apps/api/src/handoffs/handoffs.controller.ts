import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Req, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { ApiProblems } from '../common/api-problems.decorator';
import { Audited } from '../audit/audited.decorator';
import { HandoffAnswer, HandoffCallbackDto, HandoffNoticeDto, HandoffPackageDto } from './dto/handoff.dto';
import { NONCE_HEADER, PARTNER_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './handoff-signature';
import { HandoffsService } from './handoffs.service';
import { PartnerSignatureGuard, type SignedRequest } from './partner-signature.guard';

/** Partner agencies' systems, authenticated by their HMAC signature of the whole request instead of an officer's token. */
@ApiTags('hand-offs')
@ApiHeader({
  name: PARTNER_HEADER,
  required: true,
  description: 'The partner system sending (as configured in PARTNER_SYSTEMS)',
})
@ApiHeader({
  name: TIMESTAMP_HEADER,
  required: true,
  description: 'Signing time, Unix seconds (replay window applies)',
})
@ApiHeader({
  name: NONCE_HEADER,
  required: true,
  description: 'A new random value (16-64 characters) per request: the same request is taken once',
})
@ApiHeader({
  name: SIGNATURE_HEADER,
  required: true,
  description:
    'v2=hex(HMAC-SHA256(key, "v2\\n<METHOD>\\n<path>\\n<sender>\\n<recipient>\\n<timestamp>\\n<nonce>\\n<hex SHA-256 of the raw body>"))',
})
@ApiProblems(401)
@Public()
@UseGuards(PartnerSignatureGuard)
@Audited({
  action: 'handoff.change',
  purpose: 'inter-agency hand-off',
  dossier: (_request, answer) => (answer as HandoffAnswer).dossierCode,
  details: (request) => ({ handoffId: request.params.id ?? (request.body as { handoffId?: unknown }).handoffId }),
})
@Controller('handoffs')
export class HandoffsController {
  constructor(private readonly handoffs: HandoffsService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: "Receive a segment of a partner's dossier (signed); the same handoffId again creates nothing new",
  })
  @ApiOkResponse({ type: HandoffAnswer })
  @ApiProblems(409, 422, 503)
  receive(@Req() req: SignedRequest, @Body() body: HandoffPackageDto): Promise<HandoffAnswer> {
    return this.handoffs.receive(req.partner!.id, body);
  }

  @Post(':id/callback')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A partner answers about a segment handed to it: ACCEPTED, SUPPLEMENT_REQUESTED, RESULT or REFUSED',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The hand-off ID this system sent' })
  @ApiOkResponse({ type: HandoffAnswer })
  @ApiProblems(400, 404, 409, 422, 503)
  callback(
    @Req() req: SignedRequest,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: HandoffCallbackDto,
  ): Promise<HandoffAnswer> {
    return this.handoffs.callback(req.partner!.id, id, body);
  }

  @Post(':id/notices')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The partner that handed us a segment says the applicant handed in the supplement asked for, or withdrew',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The hand-off ID the partner sent' })
  @ApiOkResponse({ type: HandoffAnswer })
  @ApiProblems(400, 404, 409, 422, 503)
  notice(
    @Req() req: SignedRequest,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: HandoffNoticeDto,
  ): Promise<HandoffAnswer> {
    return this.handoffs.notice(req.partner!.id, id, body);
  }
}
