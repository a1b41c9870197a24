import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import {
  type DeadlineFactRow,
  DossierEntity,
  type DossierEventEntity,
  type DossierStepRow,
  DossierStore,
} from '../../../../libs/persistence/src';

/** Everything a dossier's views and forms print, read from PostgreSQL (never from Temporal). */
export interface DossierDetail {
  dossier: DossierEntity;
  events: DossierEventEntity[];
  steps: DossierStepRow[];
  facts: DeadlineFactRow[];
  procedure: { code: string; name: string; resolvingAgency: string | null };
  /** Names of the units and officers the dossier mentions. */
  unitNames: Map<string, string>;
  officerNames: Map<string, string>;
  /** Heads of the units the dossier went through (for signatures on forms). */
  unitHeads: Map<string, string>;
  unitParents: Map<string, string | null>;
}

@Injectable()
export class DossierReader {
  constructor(
    private readonly dossiers: DossierStore,
    private readonly dataSource: DataSource,
  ) {}

  async detail(code: string): Promise<DossierDetail> {
    const dossier = await this.dossiers.findByCode(code);
    if (!dossier) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `No dossier has the code ${code}.`);
    }
    const [events, steps, facts, procedures] = await Promise.all([
      this.dossiers.listEvents(code),
      this.dossiers.listSteps(code),
      this.dossiers.listFacts(code),
      this.dataSource.query<{ name: string; resolving_agency_code: string }[]>(
        `SELECT name, resolving_agency_code FROM procedures WHERE code = $1`,
        [dossier.procedureCode],
      ),
    ]);
    const unitCodes = new Set([dossier.receivingUnitCode, ...steps.map((s) => s.unitCode)]);
    if (procedures[0]) {
      unitCodes.add(procedures[0].resolving_agency_code);
    }
    const officerIds = new Set<string>([dossier.receivedBy]);
    steps.forEach((s) => s.holderId && officerIds.add(s.holderId));
    events.forEach((e) => e.actorId && officerIds.add(e.actorId));
    facts.forEach((f) => f.officerId && officerIds.add(f.officerId));
    const units: { code: string; name: string; head_officer_id: string | null; parent_code: string | null }[] =
      await this.dataSource.query(`SELECT code, name, head_officer_id, parent_code FROM units WHERE code = ANY($1)`, [
        [...unitCodes],
      ]);
    units.forEach((u) => u.head_officer_id && officerIds.add(u.head_officer_id));
    const officers: { id: string; full_name: string }[] = await this.dataSource.query(
      `SELECT id, full_name FROM officers WHERE id = ANY($1::uuid[])`,
      [[...officerIds]],
    );
    const officerNames = new Map(officers.map((o) => [o.id, o.full_name]));
    return {
      dossier,
      events,
      steps,
      facts,
      procedure: {
        code: dossier.procedureCode,
        name: procedures[0]?.name ?? dossier.procedureCode,
        resolvingAgency: procedures[0]?.resolving_agency_code ?? null,
      },
      unitNames: new Map(units.map((u) => [u.code, u.name])),
      unitParents: new Map(units.map((u) => [u.code, u.parent_code])),
      officerNames,
      unitHeads: new Map(
        units
          .filter((u) => u.head_officer_id)
          .map((u) => [u.code, officerNames.get(u.head_officer_id as string) ?? '']),
      ),
    };
  }

  /** The units a dossier has been through (receiving desk and every step's unit); 404 when there is none. */
  async units(code: string): Promise<string[]> {
    const rows: { unit: string }[] = await this.dataSource.query(
      `SELECT receiving_unit_code AS unit FROM dossiers WHERE code = $1
       UNION SELECT unit_code FROM dossier_steps WHERE dossier_code = $1`,
      [code],
    );
    if (rows.length === 0) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `No dossier has the code ${code}.`);
    }
    return rows.map((r) => r.unit);
  }

  /** Dossier rows in the given order (for lists). */
  async rows(codes: string[]): Promise<DossierEntity[]> {
    if (codes.length === 0) {
      return [];
    }
    const rows = await this.dataSource.getRepository(DossierEntity).findBy({ code: In(codes) });
    const byCode = new Map(rows.map((r) => [r.code, r]));
    return codes.map((c) => byCode.get(c)).filter((r): r is DossierEntity => r !== undefined);
  }
}
