import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { FILE_KINDS, type FileKind } from '../../../../libs/persistence/src';
import { DossierCodeParam } from '../dossiers/dossiers.controller';
import { SCAN_TYPES } from './scan-type';

/** The form fields of an upload besides the file itself (multipart/form-data). */
export class AttachFileRequest {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'The scan: PDF, JPEG or PNG (its content is checked, not its name), at most FILE_MAX_BYTES',
  })
  // The part itself is read by multer (never a body field); declared here for the document only.
  @IsOptional()
  file?: unknown;

  @ApiProperty({ enum: FILE_KINDS, description: 'A paper of the dossier, or its result (decision, licence)' })
  @IsIn(FILE_KINDS, { message: `kind must be one of ${FILE_KINDS.join(', ')}` })
  kind!: FileKind;

  @ApiPropertyOptional({
    example: 'VB-DE-NGHI',
    description: 'For a paper: the code of the document handed in (one of the dossier’s)',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'documentCode must be a document code of the procedure' })
  documentCode?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'For a RESULT: the current result file this one replaces (required once the result was returned). The superseded file is kept for officers, no longer served to the citizen.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'supersedes must be the id of a result file of the dossier' })
  supersedes?: string;
}

export class DossierFileParam extends DossierCodeParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be the id of a file of the dossier' })
  id!: string;
}

export class OfficerRefView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
}

export class CertificationView {
  @ApiProperty({ type: OfficerRefView, description: 'The officer who certified the scan as the authenticated copy' })
  by!: OfficerRefView;
  @ApiProperty() at!: string;
}

export class SupersededView {
  @ApiProperty({ format: 'uuid', description: 'The result file that replaced this one' }) by!: string;
  @ApiProperty() at!: string;
}

export class ReusedFromView {
  @ApiProperty({ format: 'uuid' }) fileId!: string;
  @ApiProperty({ description: 'The earlier dossier the file was first attached to' }) dossierCode!: string;
}

/** A scan of a paper or of the result, as attached to a dossier. */
export class DossierFileView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() dossierCode!: string;
  @ApiProperty({ enum: FILE_KINDS }) kind!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The paper’s document code; null for the result' })
  documentCode!: string | null;
  @ApiProperty() fileName!: string;
  @ApiProperty({ enum: SCAN_TYPES, description: 'As sniffed from the content' }) contentType!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty({ description: 'SHA-256 of the content, hex' }) sha256!: string;
  @ApiProperty({ type: OfficerRefView }) uploadedBy!: OfficerRefView;
  @ApiProperty() uploadedAt!: string;
  @ApiProperty({
    type: CertificationView,
    nullable: true,
    description: 'Certified as the authenticated copy (the paper counts as digitised); null until then',
  })
  certified!: CertificationView | null;
  @ApiProperty({ type: ReusedFromView, nullable: true, description: 'Reused from an earlier dossier, not uploaded' })
  reusedFrom!: ReusedFromView | null;
  @ApiProperty({
    type: SupersededView,
    nullable: true,
    description: 'A result replaced by a later one: kept for officers, no longer served to the citizen',
  })
  superseded!: SupersededView | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'When the personal-data retention job deleted the bytes (a paper of a dossier closed past PERSONAL_DATA_RETENTION_DAYS): the record stays, its download answers 410',
  })
  purgedAt!: string | null;
}

export class DossierFileListView {
  @ApiProperty({ type: [DossierFileView] }) items!: DossierFileView[];
  @ApiProperty({ description: 'The largest scan an upload may be, in bytes (FILE_MAX_BYTES): shown beside the upload' })
  maxBytes!: number;
  @ApiProperty({ enum: SCAN_TYPES, isArray: true, description: 'The types a scan may be (checked by content)' })
  contentTypes!: string[];
}

/** A file of an earlier dossier of the applicant that an intake may reuse (`documents[].reuseFileId`). */
export class ReusableFileView extends DossierFileView {
  @ApiProperty() procedureCode!: string;
  @ApiProperty({ description: 'When the earlier dossier was received' }) dossierReceivedAt!: string;
}

export class ReusableFileListView {
  @ApiProperty({ type: [ReusableFileView] }) items!: ReusableFileView[];
}

/** The applicant whose reusable files are asked for: in the body, so the national ID never sits in a logged URL. */
export class ReusableFilesRequest {
  @ApiProperty({ example: '001203004567', description: 'Personal identification number (12 digits) or tax code' })
  @Matches(/^(\d{12}|\d{10}(-\d{3})?)$/, {
    message:
      'idNumber must be a 12-digit personal identification number or a tax code (10 digits, or 10-3 for a branch)',
  })
  idNumber!: string;
}

/** The citizen's download of the result: the PIN from the receipt, in the body. */
export class PublicFileRequest {
  @ApiProperty({ description: 'The six-digit PIN printed on the receipt (form 01)', example: '042917' })
  @Matches(/^\d{6}$/, { message: 'pin must be the six digits printed on the receipt' })
  pin!: string;
}
