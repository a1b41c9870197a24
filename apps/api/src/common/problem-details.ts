import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One field that broke a rule. */
export class FieldErrorView {
  @ApiProperty({ example: 'applicant.idNumber', description: 'Dotted path of the offending field' })
  field!: string;

  @ApiProperty({
    example: 'idNumber must be the 12-digit personal identification number',
    description: 'The rule it broke, in words a clerk can act on',
  })
  message!: string;
}

/** A missing document of the procedure, as form 02 lists it. */
export class GuidanceItemView {
  @ApiProperty() no!: number;
  @ApiProperty({ description: 'Document code in the procedure version' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'How it must be handed in (original, certified copy…), as printed' }) form!: string;
  @ApiProperty() count!: number;
  @ApiProperty({ description: 'Missing, or not enough copies' }) reason!: string;
}

export class GuidanceProcedureView {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

/** The content of form 02 (guidance to complete the dossier) when intake finds a mandatory document missing. */
export class SupplementGuidanceView {
  @ApiProperty({ example: '02' }) form!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: GuidanceProcedureView }) procedure!: GuidanceProcedureView;
  @ApiProperty({ description: "The applicant's name" }) applicant!: string;
  @ApiProperty({ type: [GuidanceItemView] }) items!: GuidanceItemView[];
  @ApiProperty() note!: string;
}

/** RFC 9457 problem details: every error of the API, as `application/problem+json`. */
export class ProblemDetails {
  @ApiProperty({
    example: 'urn:dossier-engine:problem:validation_failed',
    description: '`urn:dossier-engine:problem:<code>` for domain errors, `about:blank` otherwise',
  })
  type!: string;

  @ApiProperty({ example: 'unprocessable entity', description: 'The HTTP status in words' })
  title!: string;

  @ApiProperty({ example: 422 })
  status!: number;

  @ApiProperty({ description: 'What went wrong, in a sentence a clerk can act on' })
  detail!: string;

  @ApiProperty({ example: '/api/v1/dossiers', description: 'The request path' })
  instance!: string;

  @ApiProperty({
    example: 'VALIDATION_FAILED',
    description:
      'Stable code to branch on: VALIDATION_FAILED, NOT_FOUND, CONFLICT, IDEMPOTENCY_KEY_REUSED, INVALID_STATE, ' +
      'UNAUTHENTICATED, FORBIDDEN, UNAVAILABLE, GONE, TOO_MANY_REQUESTS (with `rule`); HTTP_<status> for protocol errors (e.g. HTTP_429), INTERNAL for bugs',
  })
  code!: string;

  @ApiPropertyOptional({ type: [FieldErrorView], description: 'Per-field rules broken (validation)' })
  errors?: FieldErrorView[];

  @ApiPropertyOptional({
    type: SupplementGuidanceView,
    description: 'Intake refused for missing documents: what to hand in (form 02), given once',
  })
  guidance?: SupplementGuidanceView;

  @ApiPropertyOptional({
    example: 'WRONG_STEP',
    description:
      "The workflow's rule that refused an action: INVALID_STATE, WRONG_STEP, LIMIT_REACHED, TOO_LATE, NOT_HOLDER, " +
      'ROLE_NOT_ALLOWED, INVALID_REQUEST',
  })
  rule?: string;

  @ApiPropertyOptional({ example: 'complete', description: 'The officer action that was refused' })
  action?: string;

  @ApiPropertyOptional({ example: 'RESULT', description: "The partner's callback or notice kind that was refused" })
  kind?: string;

  /** Other extensions a domain error may carry. */
  [extension: string]: unknown;
}
