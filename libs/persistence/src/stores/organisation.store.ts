import { type DataSource } from 'typeorm';
import { OfficerEntity, UnitEntity } from '../entities';

/** Port for the organisation: units and officers; bound to the TypeORM implementation below. */
export abstract class OrganisationStore {
  /** Every unit, by code. */
  abstract units(): Promise<UnitEntity[]>;
  /** The codes of every unit. */
  abstract unitCodes(): Promise<string[]>;
  /** Every officer's name (heads of units are named from it). */
  abstract officerNames(): Promise<Pick<OfficerEntity, 'id' | 'fullName'>[]>;
  /** An active officer, by id or by username. */
  abstract activeOfficer(ref: { id: string } | { username: string }): Promise<OfficerEntity | null>;
  /** Active officers, optionally of one unit and one role, by name then username. */
  abstract activeOfficers(filter: { unit?: string; role?: string }): Promise<OfficerEntity[]>;
  /** The first active officer (by username) with a role. */
  abstract firstActiveWithRole(role: string): Promise<OfficerEntity | null>;
}

export class TypeOrmOrganisationStore extends OrganisationStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  units(): Promise<UnitEntity[]> {
    return this.dataSource.getRepository(UnitEntity).find({ order: { code: 'ASC' } });
  }

  async unitCodes(): Promise<string[]> {
    return (await this.dataSource.query<{ code: string }[]>(`SELECT code FROM units`)).map((u) => u.code);
  }

  officerNames(): Promise<Pick<OfficerEntity, 'id' | 'fullName'>[]> {
    return this.dataSource.getRepository(OfficerEntity).find({ select: { id: true, fullName: true } });
  }

  activeOfficer(ref: { id: string } | { username: string }): Promise<OfficerEntity | null> {
    return this.dataSource.getRepository(OfficerEntity).findOneBy({ ...ref, active: true });
  }

  activeOfficers(filter: { unit?: string; role?: string }): Promise<OfficerEntity[]> {
    const query = this.dataSource
      .getRepository(OfficerEntity)
      .createQueryBuilder('o')
      .where('o.active')
      .orderBy('o.full_name')
      .addOrderBy('o.username');
    if (filter.unit) {
      query.andWhere(':unit = ANY(o.unit_codes)', { unit: filter.unit });
    }
    if (filter.role) {
      query.andWhere(':role = ANY(o.roles)', { role: filter.role });
    }
    return query.getMany();
  }

  firstActiveWithRole(role: string): Promise<OfficerEntity | null> {
    return this.dataSource
      .getRepository(OfficerEntity)
      .createQueryBuilder('o')
      .where(`o.active AND :role = ANY(o.roles)`, { role })
      .orderBy('o.username')
      .getOne();
  }
}
