import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FormTableView {
  @ApiProperty({ type: [String] }) columns!: string[];
  @ApiProperty({ type: 'array', items: { type: 'array', items: { type: 'string' } }, description: 'Rows of cells' })
  rows!: string[][];
}

/** How the form prints: labelled fields, at most one table, a signature line. */
export class FormPrintView {
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 },
    description: '[label, value] pairs, in print order',
    example: [['Mã hồ sơ', '000.00.20.H36-260316-0007']],
  })
  fields!: [string, string][];
  @ApiPropertyOptional({ type: FormTableView }) table?: FormTableView;
  @ApiPropertyOptional() signature?: string;
}

/** A form of Circular 03/2025 (01–07) as data, and as it prints. */
export class FormDocumentView {
  @ApiProperty({ example: '01', description: 'The form number of the circular' }) form!: string;
  @ApiProperty({ description: 'The document number printed on it' }) number!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Null on the refusal of an application never received' })
  dossierCode!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The form's content as data; its fields depend on the form",
  })
  data!: Record<string, unknown>;
  @ApiProperty({ type: FormPrintView }) print!: FormPrintView;
}
