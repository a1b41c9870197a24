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
import { OrganisationService } from '../organisation/organisation.service';

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
    private readonly organisation: OrganisationService,
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
    const procedure = {
      code: dossier.procedureCode,
      name: procedures[0]?.name ?? dossier.procedureCode,
      resolvingAgency: procedures[0]?.resolving_agency_code ?? null,
    };
    const officerIds = [
      dossier.receivedBy,
      ...steps.map((s) => s.holderId),
      ...events.map((e) => e.actorId),
      ...facts.map((f) => f.officerId),
    ];
    const units = [dossier.receivingUnitCode, ...steps.map((s) => s.unitCode), procedure.resolvingAgency];
    return { dossier, events, steps, facts, procedure, ...(await this.names(units, officerIds)) };
  }

  /**
   * The detail of a dossier the caller has just received: no steps, facts or later events exist yet, and the names
   * come from the organisation held in memory, so the intake answers without reading back what it wrote.
   */
  async received(
    dossier: DossierEntity,
    event: DossierEventEntity,
    procedure: DossierDetail['procedure'],
    receivedByName: string,
  ): Promise<DossierDetail> {
    const units = await this.organisation.units([dossier.receivingUnitCode, procedure.resolvingAgency]);
    const heads = units.flatMap((u) => (u.head ? [[u.code, u.head] as const] : []));
    return {
      dossier,
      events: [event],
      steps: [],
      facts: [],
      procedure,
      unitNames: new Map(units.map((u) => [u.code, u.name])),
      unitParents: new Map(units.map((u) => [u.code, u.parentCode])),
      unitHeads: new Map(heads.map(([code, head]) => [code, head.fullName])),
      officerNames: new Map([
        ...heads.map(([, head]) => [head.officerId, head.fullName] as const),
        [dossier.receivedBy, receivedByName],
      ]),
    };
  }

  /** Names, parents and heads of the units, and names of the officers (heads included) a dossier mentions. */
  private async names(
    unitCodes: (string | null)[],
    officerIds: (string | null)[],
  ): Promise<Pick<DossierDetail, 'unitNames' | 'unitParents' | 'unitHeads' | 'officerNames'>> {
    const units: {
      code: string;
      name: string;
      parent_code: string | null;
      head_officer_id: string | null;
      head_name: string | null;
    }[] = await this.dataSource.query(
      `SELECT u.code, u.name, u.parent_code, u.head_officer_id, h.full_name AS head_name
       FROM units u LEFT JOIN officers h ON h.id = u.head_officer_id WHERE u.code = ANY($1)`,
      [[...new Set(unitCodes.filter((c): c is string => c !== null))]],
    );
    const ids = [...new Set(officerIds.filter((id): id is string => id !== null))];
    const officers: { id: string; full_name: string }[] = await this.dataSource.query(
      `SELECT id, full_name FROM officers WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const officerNames = new Map(officers.map((o) => [o.id, o.full_name]));
    units.forEach((u) => u.head_officer_id && officerNames.set(u.head_officer_id, u.head_name ?? ''));
    return {
      unitNames: new Map(units.map((u) => [u.code, u.name])),
      unitParents: new Map(units.map((u) => [u.code, u.parent_code])),
      officerNames,
      unitHeads: new Map(units.filter((u) => u.head_officer_id).map((u) => [u.code, u.head_name ?? ''])),
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
