export { EXAMPLE_A_WALK } from '../../libs/persistence/src';
import { type DataSource } from 'typeorm';
import { DEFAULT_TRANSFER_RULE } from '../../libs/calendar/src';
import { loadSeedCatalog } from '../../libs/persistence/src';
import {
  type Actor,
  DEFAULT_SIGNING,
  type DossierRules,
  type DossierWorkflowInput,
  workflowSegments,
  workflowSteps,
} from '../../libs/domain/src';

export const CENTRE = '000.00.20.H36';

/** What the desk sends to receive example A's dossier (`POST /api/v1/dossiers`). */
export const EXAMPLE_A_INTAKE = {
  procedureCode: '2.000908',
  receivingUnitCode: CENTRE,
  channel: 'IN_PERSON',
  applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
  documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
};

/** The workflow input of a dossier of a seeded procedure (example A by default), as intake builds it. */
export function dossierInput(
  code: string,
  receivedAt: string,
  options: {
    procedure?: string;
    receivedBy?: string;
    receivingUnitCode?: string;
    /** The task queue of each agency's segments (connected procedures). */
    agencyQueue?: (agency: string) => string;
    /** Partner systems serving agencies (their segments are handed over instead of run as child workflows). */
    partners?: { id: string; agencies: string[] }[];
    rules?: Partial<DossierRules>;
  } = {},
): DossierWorkflowInput {
  const procedure = loadSeedCatalog().find((p) => p.code === (options.procedure ?? '2.000908'));
  if (!procedure) {
    throw new Error(`no seeded procedure ${options.procedure}`);
  }
  const kase = procedure.version.cases[0];
  return {
    dossierCode: code,
    procedureCode: procedure.code,
    receivingUnitCode: options.receivingUnitCode ?? CENTRE,
    receivedAt,
    receivedBy: options.receivedBy,
    rules: {
      procedureName: procedure.name,
      procedureVersionId: '00000000-0000-4000-8000-000000000000',
      caseCode: kase.code,
      processingTime: kase.processingTime,
      cutoff: kase.cutoff,
      transfer: kase.transfer ?? DEFAULT_TRANSFER_RULE,
      clockPolicy: kase.clockPolicy,
      steps: workflowSteps(kase),
      segments: options.agencyQueue ? workflowSegments(kase, options.agencyQueue, options.partners) : undefined,
      feesTotal: kase.fees.reduce((s, f) => s + f.amount, 0),
      legalBasis: procedure.version.legalBasis,
      returnsImmediately: kase.returnsImmediately,
      agency: procedure.resolvingAgency,
      signing: kase.signing ?? DEFAULT_SIGNING,
      ...options.rules,
    },
  };
}

/** The seeded officers as actors (with the units they head and everything below), by username. */
export async function seededActors(db: DataSource): Promise<Record<string, Actor>> {
  const officers: { id: string; username: string; full_name: string; roles: string[]; unit_codes: string[] }[] =
    await db.query(`SELECT id, username, full_name, roles, unit_codes FROM officers`);
  const units: { code: string; parent_code: string | null; head_officer_id: string | null }[] = await db.query(
    `SELECT code, parent_code, head_officer_id FROM units`,
  );
  const below = (code: string): string[] => [
    code,
    ...units.filter((u) => u.parent_code === code).flatMap((u) => below(u.code)),
  ];
  return Object.fromEntries(
    officers.map((o) => [
      o.username,
      {
        officerId: o.id,
        username: o.username,
        fullName: o.full_name,
        roles: o.roles,
        unitCodes: o.unit_codes,
        headOfUnits: units.filter((u) => u.head_officer_id === o.id).flatMap((u) => below(u.code)),
      },
    ]),
  );
}

/** The users EXAMPLE_A_WALK needs. */
export const EXAMPLE_A_USERS = [
  'clerk',
  'head',
  'dept-leader',
  'division-head',
  'specialist',
  'ppc-leader',
  'dept-clerk',
];

/** A commune no segment of the seeded catalog names: its agency task queue is polled by no worker at start. */
export const NEW_AGENCY = '000.31.02.H36';

/**
 * Example B (1.014390, connected) published under `code` with its first segment, the commune's, at `agency`: the
 * catalog then names an agency the running workers did not poll when they started.
 */
export function connectedProcedureAt(code: string, agency: string = NEW_AGENCY) {
  const base = structuredClone(loadSeedCatalog().find((p) => p.code === '1.014390')!);
  const [kase] = base.version.cases;
  const [commune, ...rest] = kase.segments!;
  return {
    ...base,
    code,
    localCode: undefined,
    name: `${base.name} (xã mới)`,
    version: {
      ...base.version,
      cases: [
        {
          ...kase,
          segments: [{ ...commune, agency, steps: commune.steps.map((s) => ({ ...s, unit: agency })) }, ...rest],
        },
      ],
    },
  };
}

/** The intake body of a dossier of `connectedProcedureAt(code)`, received at the province's centre (`clerk`). */
export function connectedIntake(code: string, i: number) {
  return {
    procedureCode: code,
    receivingUnitCode: CENTRE,
    channel: 'IN_PERSON',
    applicant: { type: 'INDIVIDUAL', idNumber: `001${String(i).padStart(9, '0')}`, name: `Hộ kinh doanh ${i}` },
    documents: [{ code: 'GIAY-DE-NGHI' }, { code: 'DK-ANTT' }, { code: 'PCCC' }, { code: 'DN-KARAOKE' }],
  };
}
