import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import { SCAN_TYPES } from '../../files/scan-type';
import { SubmissionIdParam } from './submission.dto';

/** The form fields of an application's scan besides the file itself (multipart/form-data). */
export class AttachSubmissionFileRequest {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'The scan: PDF, JPEG or PNG (its content is checked, not its name), at most FILE_MAX_BYTES',
  })
  // The part itself is read by multer (never a body field); declared here for the document only.
  @IsOptional()
  file?: unknown;

  @ApiProperty({ example: 'VB-DE-NGHI', description: 'The code of the application’s paper this is the scan of' })
  @Matches(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'documentCode must be a document code of the procedure' })
  documentCode!: string;
}

export class SubmissionFileParam extends SubmissionIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'fileId must be the id of a file of the application' })
  fileId!: string;
}

/** A scan an application carries while it waits at the desk. */
export class SubmissionFileView {
  @ApiProperty({ format: 'uuid', description: 'Kept as the dossier file’s id once the application is received' })
  id!: string;
  @ApiProperty({ format: 'uuid' }) submissionId!: string;
  @ApiProperty() documentCode!: string;
  @ApiProperty() fileName!: string;
  @ApiProperty({ enum: SCAN_TYPES, description: 'As sniffed from the content' }) contentType!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty({ description: 'SHA-256 of the content, hex' }) sha256!: string;
  @ApiProperty() uploadedAt!: string;
}

export class SubmissionFileListView {
  @ApiProperty({ type: [SubmissionFileView] }) items!: SubmissionFileView[];
}
