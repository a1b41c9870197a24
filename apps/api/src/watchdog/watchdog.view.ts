import { ApiProperty } from '@nestjs/swagger';
import { WATCHDOG_FINDING_KINDS } from '../../../../libs/persistence/src';

export class WatchdogFindingCountView {
  @ApiProperty({ enum: WATCHDOG_FINDING_KINDS }) kind!: string;
  @ApiProperty({ description: 'Subjects (dossiers, outbox messages) ever found with this kind' }) total!: number;
  @ApiProperty({ description: 'Of them, repaired by the watchdog when last seen' }) repaired!: number;
  @ApiProperty({ description: 'Of them, flagged for a person' }) unrepaired!: number;
}

export class WatchdogFindingView {
  @ApiProperty({ enum: WATCHDOG_FINDING_KINDS }) kind!: string;
  @ApiProperty({ example: 'outbox:42', description: 'The dossier code, or `outbox:<id>`' }) subject!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The dossier (an outbox message: its key)' })
  dossierCode!: string | null;
  @ApiProperty({ description: 'What differed, and what was done or why not' }) detail!: string;
  @ApiProperty() repaired!: boolean;
  @ApiProperty({ description: 'Runs that found it' }) timesSeen!: number;
  @ApiProperty({ format: 'date-time' }) firstSeenAt!: string;
  @ApiProperty({ format: 'date-time' }) lastSeenAt!: string;
}

export class WatchdogFindingsView {
  @ApiProperty({ type: [WatchdogFindingCountView], description: 'Every kind, with its counts (0 when never seen)' })
  counts!: WatchdogFindingCountView[];
  @ApiProperty({ type: [WatchdogFindingView], description: 'The latest findings, most recently seen first' })
  findings!: WatchdogFindingView[];
}
