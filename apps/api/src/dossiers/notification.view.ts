import { ApiProperty } from '@nestjs/swagger';

export class NotificationView {
  @ApiProperty({ example: '42', description: 'Its number (the one to mark read)' }) id!: string;
  @ApiProperty() dossierCode!: string;
  @ApiProperty({ example: 'STEP_BREACHED', description: 'What happened: a breach, an escalation, an assignment…' })
  kind!: string;
  @ApiProperty() message!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Null while unread' }) readAt!: string | null;
}

export class NotificationListView {
  @ApiProperty({ type: [NotificationView], description: 'Newest first, at most 200' }) items!: NotificationView[];
}
