import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import {
  type DeadlineFactRow,
  type DossierEntity,
  type DossierEventEntity,
  DossierQueryStore,
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
    private readonly queries: DossierQueryStore,
    private readonly organisation: OrganisationService,
  ) {}

  async detail(code: string): Promise<DossierDetail> {
    const dossier = await this.dossiers.findByCode(code);
    if (!dossier) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `No dossier has the code ${code}.`);
    }
    const [events, steps, facts, row] = await Promise.all([
      this.dossiers.listEvents(code),
      this.dossiers.listSteps(code),
      this.dossiers.listFacts(code),
      this.queries.procedure(dossier.procedureCode),
    ]);
    const procedure = {
      code: dossier.procedureCode,
      name: row?.name ?? dossier.procedureCode,
      resolvingAgency: row?.resolving_agency_code ?? null,
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
    const ids = [...new Set(officerIds.filter((id): id is string => id !== null))];
    const [units, officers] = await Promise.all([
      this.queries.unitsWithHeads([...new Set(unitCodes.filter((c): c is string => c !== null))]),
      this.queries.officerNames(ids),
    ]);
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
    const units = await this.queries.units(code);
    if (units.length === 0) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `No dossier has the code ${code}.`);
    }
    return units;
  }

  /** Dossier rows in the given order (for lists). */
  rows(codes: string[]): Promise<DossierEntity[]> {
    return this.queries.rows(codes);
  }
}
