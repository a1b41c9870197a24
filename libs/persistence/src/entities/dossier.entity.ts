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
}
