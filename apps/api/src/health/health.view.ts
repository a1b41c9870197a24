import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One dependency's health; the optional fields are those its check reports. */
export class ComponentHealthView {
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiPropertyOptional({ description: 'How long the check took (PostgreSQL, Temporal)' }) latencyMs?: number;
  @ApiPropertyOptional({ description: 'Why it is down' }) detail?: string;
  @ApiPropertyOptional({ description: 'Temporal' }) serverVersion?: string;
  @ApiPropertyOptional({ description: 'Temporal' }) namespace?: string;
  @ApiPropertyOptional({ description: 'Worker: the task queue polled' }) taskQueue?: string;
  @ApiPropertyOptional({ description: 'Worker: pollers seen lately' }) pollers?: number;
  @ApiPropertyOptional({ description: 'Outbox: messages not yet delivered' }) pending?: number;
  @ApiPropertyOptional({ description: 'Outbox: age of the oldest undelivered message' }) oldestAgeSeconds?: number;
}

export class HealthComponentsView {
  @ApiProperty({ type: ComponentHealthView }) postgres!: ComponentHealthView;
  @ApiProperty({ type: ComponentHealthView }) temporal!: ComponentHealthView;
  @ApiProperty({ type: ComponentHealthView }) worker!: ComponentHealthView;
  @ApiProperty({ type: ComponentHealthView, description: 'Information only: a backlog does not make the API down' })
  outbox!: ComponentHealthView;
}

export class HealthReportView {
  @ApiProperty({ enum: ['up', 'down'], description: 'Down when PostgreSQL, Temporal or the worker is down' })
  status!: 'up' | 'down';
  @ApiProperty() checkedAt!: string;
  @ApiPropertyOptional({ type: HealthComponentsView, description: 'Only for a signed-in officer' })
  components?: HealthComponentsView;
}

export class LivenessView {
  @ApiProperty({ enum: ['up'] }) status!: 'up';
}
