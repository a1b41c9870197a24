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
  /** An active officer, by id, by username, or by the account at the identity provider they are bound to. */
  abstract activeOfficer(ref: OfficerRef): Promise<OfficerEntity | null>;
  /** Active officers, optionally of one unit and one role, by name then username. */
  abstract activeOfficers(filter: { unit?: string; role?: string }): Promise<OfficerEntity[]>;
  /** The first active officer (by username) with a role. */
  abstract firstActiveWithRole(role: string): Promise<OfficerEntity | null>;
  /**
   * Binds officers to their accounts at an identity provider, all or none: nothing is bound when a username is
   * unknown or a subject is already another officer's (rebinding an officer to a new subject is allowed).
   */
  abstract bindIdentities(issuer: string, bindings: IdentityBinding[]): Promise<BindingOutcome>;
}

/** Announced (NOTIFY, by a trigger) when any change to the officers table commits, whoever made it. */
export const OFFICERS_CHANGED_CHANNEL = 'officers_changed';

export type OfficerRef = { id: string } | { username: string } | { issuer: string; subject: string };

export interface IdentityBinding {
  username: string;
  subject: string;
}

export type BindingOutcome =
  | { ok: true; bound: IdentityBinding[] }
  | { ok: false; unknownUsernames: string[]; takenSubjects: { subject: string; boundTo: string }[] };

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

  activeOfficer(ref: OfficerRef): Promise<OfficerEntity | null> {
    const where =
      'issuer' in ref ? { idpIssuer: ref.issuer, idpSubject: ref.subject } : 'id' in ref ? { id: ref.id } : ref;
    return this.dataSource.getRepository(OfficerEntity).findOneBy({ ...where, active: true });
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

  bindIdentities(issuer: string, bindings: IdentityBinding[]): Promise<BindingOutcome> {
    return this.dataSource.transaction(async (m) => {
      const usernames = bindings.map((b) => b.username);
      const known = new Set(
        (
          await m.query<{ username: string }[]>(`SELECT username FROM officers WHERE username = ANY($1)`, [usernames])
        ).map((r) => r.username),
      );
      const taken = await m.query<{ subject: string; boundTo: string }[]>(
        `SELECT o.idp_subject AS subject, o.username AS "boundTo"
           FROM officers o JOIN unnest($2::text[], $3::text[]) AS b(username, subject) ON o.idp_subject = b.subject
          WHERE o.idp_issuer = $1 AND o.username <> b.username`,
        [issuer, usernames, bindings.map((b) => b.subject)],
      );
      const unknownUsernames = usernames.filter((u) => !known.has(u));
      if (unknownUsernames.length > 0 || taken.length > 0) {
        return { ok: false as const, unknownUsernames, takenSubjects: taken };
      }
      for (const b of bindings) {
        await m.query(`UPDATE officers SET idp_issuer = $1, idp_subject = $2 WHERE username = $3`, [
          issuer,
          b.subject,
          b.username,
        ]);
      }
      return { ok: true as const, bound: bindings };
    });
  }
}
