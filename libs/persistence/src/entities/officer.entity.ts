import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'officers' })
export class OfficerEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  username!: string;

  @Column({ name: 'full_name', type: 'text' })
  fullName!: string;

  @Column({ type: 'text', array: true })
  roles!: string[];

  @Column({ name: 'unit_codes', type: 'text', array: true })
  unitCodes!: string[];

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** The identity provider (token `iss`) the officer signs in with in production; null until bound. */
  @Column({ name: 'idp_issuer', type: 'text', nullable: true })
  idpIssuer!: string | null;

  /** The officer's `sub` at that provider. */
  @Column({ name: 'idp_subject', type: 'text', nullable: true })
  idpSubject!: string | null;
}
