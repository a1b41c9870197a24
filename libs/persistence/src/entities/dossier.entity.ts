import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The PostgreSQL projection of a dossier; while it is in flight its workflow is the authority. */
@Entity({ name: 'dossiers' })
export class DossierEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  code!: string;

  @Column({ name: 'receiving_unit_code', type: 'varchar', length: 32 })
  receivingUnitCode!: string;

  @Column({ name: 'procedure_code', type: 'varchar', length: 64 })
  procedureCode!: string;

  @Column({ name: 'procedure_version_id', type: 'uuid', nullable: true })
  procedureVersionId!: string | null;

  @Column({ name: 'case_code', type: 'varchar', length: 40, nullable: true })
  caseCode!: string | null;

  @Column({ type: 'varchar', length: 16 })
  channel!: string;

  @Column({ name: 'applicant_type', type: 'varchar', length: 16 })
  applicantType!: string;

  @Column({ name: 'applicant_id_number', type: 'varchar', length: 20 })
  applicantIdNumber!: string;

  @Column({ name: 'applicant_name', type: 'text' })
  applicantName!: string;

  @Column({ name: 'national_status', type: 'smallint' })
  nationalStatus!: number;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'received_by', type: 'uuid' })
  receivedBy!: string;

  @Column({ name: 'workflow_started_at', type: 'timestamptz', nullable: true })
  workflowStartedAt!: Date | null;

  @Column({ name: 'result_returned_at', type: 'timestamptz', nullable: true })
  resultReturnedAt!: Date | null;

  @Column({ name: 'last_event_seq', type: 'int', default: 0 })
  lastEventSeq!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** RECEIVED until the workflow takes it, then the workflow's state (IN_PROGRESS, AWAITING_SUPPLEMENT, …). */
  @Column({ type: 'varchar', length: 24, default: 'RECEIVED' })
  state!: string;

  @Column({ type: 'varchar', length: 24, nullable: true })
  outcome!: string | null;

  @Column({ name: 'current_step_no', type: 'int', nullable: true })
  currentStepNo!: number | null;

  @Column({ name: 'current_step_code', type: 'varchar', length: 40, nullable: true })
  currentStepCode!: string | null;

  @Column({ name: 'current_step_name', type: 'text', nullable: true })
  currentStepName!: string | null;

  @Column({ name: 'current_unit_code', type: 'varchar', length: 32, nullable: true })
  currentUnitCode!: string | null;

  @Column({ name: 'holder_id', type: 'uuid', nullable: true })
  holderId!: string | null;

  /** The return time printed on the receipt (form 01). */
  @Column({ name: 'promised_at', type: 'timestamptz', nullable: true })
  promisedAt!: Date | null;

  /** The current due time (after pauses, restarts, an extension, calendar edits); null while paused. */
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'paused_since', type: 'timestamptz', nullable: true })
  pausedSince!: Date | null;

  @Column({ name: 'pause_reason', type: 'varchar', length: 16, nullable: true })
  pauseReason!: string | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  timeliness!: string | null;

  @Column({ type: 'boolean', default: false })
  extended!: boolean;

  @Column({ name: 'supplement_requests', type: 'int', default: 0 })
  supplementRequests!: number;

  @Column({ type: 'boolean', default: false })
  paid!: boolean;

  /** The deadline ledger and clock, as the workflow last reported them. */
  @Column({ type: 'jsonb', nullable: true })
  deadline!: Record<string, unknown> | null;

  /** A connected procedure's agency segments: hand-over instants, due times, results, partner hand-offs. */
  @Column({ type: 'jsonb', nullable: true })
  segments!: Record<string, unknown>[] | null;

  /** Documents handed in at intake: code, name, form, count. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  documents!: { code: string; name: string; form: string; count: number }[];

  @Column({ name: 'applicant_contact', type: 'jsonb', default: () => "'{}'" })
  applicantContact!: { address?: string; phone?: string; email?: string };

  @Column({ type: 'jsonb', nullable: true })
  proxy!: { name: string; idNumber: string; phone?: string } | null;

  /** The citizen's lookup PIN, salted and hashed (see lookup-pin.ts): the PIN itself is shown once, at intake. */
  @Column({ name: 'lookup_pin_hash', type: 'varchar', length: 160, nullable: true, select: false })
  lookupPinHash!: string | null;

  /** Wrong PINs since the last right one; at PUBLIC_LOOKUP_WRONG_PINS_BEFORE_LOCK the lookup locks. */
  @Column({ name: 'lookup_wrong_pins', type: 'int', default: 0 })
  lookupWrongPins!: number;

  /** When the lookup locked, until a desk clerk issues a new PIN. */
  @Column({ name: 'lookup_locked_at', type: 'timestamptz', nullable: true })
  lookupLockedAt!: Date | null;
}
