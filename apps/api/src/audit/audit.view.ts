import { ApiProperty } from '@nestjs/swagger';

export class AuditHeadView {
  @ApiProperty({ description: 'The last row' }) seq!: number;
  @ApiProperty({ description: 'Its hash: published elsewhere, it makes a rewrite of the whole chain detectable' })
  hash!: string;
}

export class AuditBreakView {
  @ApiProperty({ description: 'The first row that does not hold' }) seq!: number;
  @ApiProperty({ example: 'its content does not match its hash: it was changed after it was written' })
  reason!: string;
}

export class AuditVerificationView {
  @ApiProperty({ description: 'Whether every row is in place, unchanged, and follows the one before' })
  valid!: boolean;
  @ApiProperty({ description: 'Rows checked (up to the first broken one)' }) checked!: number;
  @ApiProperty({ type: AuditHeadView, nullable: true, description: 'The chain’s last row, when it is intact' })
  head!: AuditHeadView | null;
  @ApiProperty({ type: AuditBreakView, nullable: true }) firstBroken!: AuditBreakView | null;
}
