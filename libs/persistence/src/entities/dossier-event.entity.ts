import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The dossier's event log, keyed by (dossier code, sequence) so activity retries write once. */
@Entity({ name: 'dossier_events' })
export class DossierEventEntity {
  @PrimaryColumn({ name: 'dossier_code', type: 'varchar', length: 64 })
  dossierCode!: string;

  @PrimaryColumn({ type: 'int' })
  seq!: number;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ name: 'national_status', type: 'smallint' })
  nationalStatus!: number;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'jsonb', default: {} })
  payload!: Record<string, unknown>;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
