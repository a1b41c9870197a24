import { ApiProperty } from '@nestjs/swagger';

// The `data` of each server-sent event of GET /api/v1/events (JSON), for clients that parse the stream.

/** `event: ready`, once connected. */
export class ReadyEventData {
  @ApiProperty() officerId!: string;
}

/** `event: dossier`: a stored transition of a dossier the caller may see. */
export class DossierEventData {
  @ApiProperty() code!: string;
  @ApiProperty({ description: 'The transition number in its history' }) seq!: number;
  @ApiProperty({ description: 'The event type of the transition' }) type!: string;
  @ApiProperty() state!: string;
  @ApiProperty({ description: 'National status code 1–10' }) nationalStatus!: number;
  @ApiProperty({ nullable: true, type: String }) currentUnitCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) holderId!: string | null;
  @ApiProperty() occurredAt!: string;
}

/** `event: notification`: the caller got a notification with this transition. */
export class NotificationEventData {
  @ApiProperty() dossierCode!: string;
  @ApiProperty() seq!: number;
}
