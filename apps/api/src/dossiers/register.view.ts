import { ApiProperty } from '@nestjs/swagger';

export class RegisterEntryView {
  @ApiProperty() no!: number;
  @ApiProperty() code!: string;
  @ApiProperty({ description: 'The procedure name (its code when unknown)' }) procedure!: string;
  @ApiProperty({ description: "The applicant's name" }) applicant!: string;
  @ApiProperty({ description: 'Address and phone, as printed' }) addressPhone!: string;
  @ApiProperty({ nullable: true, type: String }) resolvingAgency!: string | null;
  @ApiProperty() receivedAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The promised return time' })
  dueAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) returnedAt!: string | null;
  @ApiProperty({ nullable: true, enum: ['IN_PERSON', 'POSTAL', 'ELECTRONIC'] }) deliveryMethod!: string | null;
}

export class RegisterUnitView {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

/** Sổ theo dõi hồ sơ (form 07). */
export class RegisterView {
  @ApiProperty({ example: '07' }) form!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: RegisterUnitView }) unit!: RegisterUnitView;
  @ApiProperty({ example: '2026-03-01' }) from!: string;
  @ApiProperty({ example: '2026-03-31' }) to!: string;
  @ApiProperty({ type: [RegisterEntryView] }) entries!: RegisterEntryView[];
}
