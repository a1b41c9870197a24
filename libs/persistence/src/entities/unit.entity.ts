import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An organisational unit, keyed by its e-document code (mã định danh điện tử), e.g. `000.00.20.H36`. */
@Entity({ name: 'units' })
export class UnitEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'parent_code', type: 'varchar', length: 32, nullable: true })
  parentCode!: string | null;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ name: 'head_officer_id', type: 'uuid', nullable: true })
  headOfficerId!: string | null;
}
