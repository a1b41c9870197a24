import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import {
  PERSONAL_ID_PATTERN,
  PETITION_TEXT_MAX,
  RATING_CHANNELS,
  RATING_COMMENT_MAX,
  RATINGS,
  type Rating,
  UNIT_CODE_PATTERN,
} from '../../../../libs/domain/src';

const PIN = /^\d{6}$/;

/** A rating of how the dossier was handled (the desk records it on the citizen's behalf). */
export class RatingRequest {
  @ApiProperty({ enum: RATINGS, description: 'Hài lòng / Chấp nhận được / Không hài lòng' })
  @IsIn(RATINGS)
  rating!: Rating;

  @ApiPropertyOptional({
    description: `What the citizen adds, at most ${RATING_COMMENT_MAX} characters (personal data: cleared by the retention job)`,
    example: 'Cán bộ hướng dẫn tận tình.',
  })
  @IsOptional()
  @IsString()
  @Length(1, RATING_COMMENT_MAX)
  comment?: string;
}

/** The citizen's own rating: the PIN of the receipt in the body, as for the lookup. */
export class PublicRatingRequest extends RatingRequest {
  @ApiProperty({ description: 'The six-digit PIN printed on the receipt (form 01)', example: '042917' })
  @Matches(PIN, { message: 'pin must be the six digits printed on the receipt' })
  pin!: string;
}

export class RatingView {
  @ApiProperty() dossierCode!: string;
  @ApiProperty({ enum: RATINGS }) rating!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Null when none was given or it was anonymised' })
  comment!: string | null;
  @ApiProperty({ enum: RATING_CHANNELS, description: 'CITIZEN with code and PIN, or DESK on their behalf' })
  channel!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The desk officer who recorded it' })
  recordedByName!: string | null;
  @ApiProperty() ratedAt!: string;
}

/** A rating the current one superseded (the desk's, replaced by the citizen's own). */
export class SupersededRatingView extends RatingView {
  @ApiProperty() supersededAt!: string;
}

/** What the citizen sees of their rating: no officer's name. */
export class PublicRatingView {
  @ApiProperty() dossierCode!: string;
  @ApiProperty({ enum: RATINGS }) rating!: string;
  @ApiProperty() ratedAt!: string;
}

/** Who files a petition: the petition dossier's applicant (personal data, anonymised with it). */
export class PetitionerDto {
  @ApiProperty({ example: 'Nguyễn Văn An' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ example: '001203004567', description: 'Personal identification number, when given' })
  @IsOptional()
  @Matches(PERSONAL_ID_PATTERN, { message: 'idNumber must be the 12-digit personal identification number' })
  idNumber?: string;

  @ApiPropertyOptional({ example: '0912345678' })
  @IsOptional()
  @Matches(/^\+?\d{9,15}$/, { message: 'phone must be 9–15 digits, optionally starting with +' })
  phone?: string;

  @ApiPropertyOptional({ example: 'an.nguyen@example.vn' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 500)
  address?: string;
}

class PetitionBase {
  @ApiProperty({ type: PetitionerDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PetitionerDto)
  petitioner!: PetitionerDto;

  @ApiProperty({ description: `What the petitioner reports or asks, at most ${PETITION_TEXT_MAX} characters` })
  @IsString()
  @Length(1, PETITION_TEXT_MAX)
  text!: string;
}

/** A petition taken at the desk: about a dossier (its step, an officer) or about a unit's service. */
export class DeskPetitionRequest extends PetitionBase {
  @ApiProperty({ example: '000.00.20.H36', description: 'The desk receiving the petition' })
  @Matches(UNIT_CODE_PATTERN, { message: 'receivingUnitCode must be a unit e-document code like 000.00.20.H36' })
  receivingUnitCode!: string;

  @ApiPropertyOptional({ description: 'The dossier the petition is about' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  dossierCode?: string;

  @ApiPropertyOptional({ description: 'The step of that dossier it is about (its code): routed to its unit' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  stepCode?: string;

  @ApiPropertyOptional({ description: 'The officer it is about (username or id): routed to their unit' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  officer?: string;
}

/** The work done on a challenge of `GET /public/v1/petitions/challenge` (see PetitionChallengeView). */
export class PetitionProofDto {
  @ApiProperty({ description: 'The challenge as issued' })
  @IsString()
  @Length(1, 200)
  challenge!: string;

  @ApiProperty({ description: 'What makes SHA-256("<challenge>:<nonce>") start with the challenge’s bits of zeros' })
  @IsString()
  @Length(1, 64)
  nonce!: string;
}

/** A challenge to solve before filing a petition from the public form; each is accepted once. */
export class PetitionChallengeView {
  @ApiProperty({ description: 'Signed by the API; send it back unchanged in `proof.challenge`' }) challenge!: string;
  @ApiProperty({ description: 'Leading zero bits SHA-256("<challenge>:<nonce>") must have', example: 18 })
  bits!: number;
  @ApiProperty({ description: 'The challenge is refused after this time' }) expiresAt!: string;
  @ApiProperty({ example: 'sha256-leading-zero-bits' }) algorithm!: string;
}

/**
 * A petition from the public form: bound to a dossier with its code and PIN, or addressed to a unit (a dossier code
 * without its PIN binds nothing: the petition is the unit's). Every one carries a proof of work.
 */
export class PublicPetitionRequest extends PetitionBase {
  @ApiProperty({
    type: PetitionProofDto,
    description: 'The work done on a challenge from GET /public/v1/petitions/challenge',
  })
  @IsObject()
  @ValidateNested()
  @Type(() => PetitionProofDto)
  proof!: PetitionProofDto;

  @ApiPropertyOptional({
    description: 'The dossier it is about, with the PIN of its receipt (without it, only quoted in the text)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  dossierCode?: string;

  @ApiPropertyOptional({ description: 'The PIN of that dossier’s receipt', example: '042917' })
  @IsOptional()
  @Matches(PIN, { message: 'pin must be the six digits printed on the receipt' })
  pin?: string;

  @ApiPropertyOptional({ description: 'The unit it is addressed to, when it is bound to no dossier by code and PIN' })
  @IsOptional()
  @Matches(UNIT_CODE_PATTERN, { message: 'unitCode must be a unit e-document code like 000.00.20.H36' })
  unitCode?: string;
}

export class PetitionView {
  @ApiProperty({ description: 'The petition dossier: looked up, worked and reported like any dossier' })
  code!: string;
  @ApiProperty() state!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The dossier it is about' })
  aboutDossierCode!: string | null;
  @ApiProperty({ description: 'The unit whose head answers it' }) responsibleUnitCode!: string;
  @ApiProperty({ nullable: true, type: String, description: 'When the answer is due' }) promisedAt!: string | null;
}

/** The public answer adds the PIN of the petition's own receipt: the petitioner looks up the answer with it. */
export class PublicPetitionView extends PetitionView {
  @ApiProperty({ example: '042917', description: 'Shown this once; stored only hashed' }) lookupPin!: string;
}

export class PetitionAboutView {
  @ApiProperty({ nullable: true, type: String }) dossierCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) stepCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) officerName!: string | null;
  @ApiProperty() responsibleUnitCode!: string;
  @ApiProperty({ description: 'The petition’s text (empty once anonymised)' }) text!: string;
}

/** The citizens' voice on a dossier page: its rating, the petitions about it, and what a petition is about. */
export class DossierVoiceView {
  @ApiProperty() code!: string;
  @ApiProperty({ type: RatingView, nullable: true }) rating!: RatingView | null;
  @ApiProperty({
    type: [SupersededRatingView],
    description: 'Ratings the desk recorded on the citizen’s behalf that the citizen’s own rating superseded',
  })
  supersededRatings!: SupersededRatingView[];
  @ApiProperty({ type: [String], description: 'Codes of the petitions about this dossier' }) petitions!: string[];
  @ApiProperty({ type: PetitionAboutView, nullable: true, description: 'Set when this dossier is a petition' })
  petition!: PetitionAboutView | null;
}
