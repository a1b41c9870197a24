import { ApiProperty } from '@nestjs/swagger';

export class UnitHeadView {
  @ApiProperty() officerId!: string;
  @ApiProperty() fullName!: string;
}

/** A unit with its sub-units, down to the leaves. */
export class UnitNodeView {
  @ApiProperty({ example: '000.00.20.H36', description: 'E-document code' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'What kind of unit it is (agency, division, commune…)' }) kind!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Null for a root of the tree' })
  parentCode!: string | null;
  @ApiProperty({ nullable: true, type: UnitHeadView }) head!: UnitHeadView | null;
  @ApiProperty({ type: () => [UnitNodeView] }) children!: UnitNodeView[];
}

export class UnitTreeView {
  @ApiProperty({ type: [UnitNodeView], description: 'The roots of the organisation, each with its subtree' })
  units!: UnitNodeView[];
}
