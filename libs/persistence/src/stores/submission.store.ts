import { type DataSource, type EntityManager } from 'typeorm';
import {
  DomainErrorCode,
  DomainException,
  SUBMISSION_NATIONAL_STATUS,
  type SubmissionState,
} from '../../../domain/src';
import { type DossierEntity } from '../entities';
import { claimIdempotencyKey, completeIdempotencyKey } from './idempotency';
import { PORTAL_SYNC } from './portal-sync';

/** An application before reception: waiting at a desk, received (it names its dossier), or refused with reasons. */
export interface SubmissionRow {
  id: string;
  /** The number printed on its refusal slip (form 03). */
  no: number;
  receivingUnitCode: string;
  receivingUnitName: string | null;
  procedureCode: string;
  procedureName: string | null;
  caseCode: string | null;
  channel: string;
  applicant: { type: string; idNumber: string; name: string };
  applicantContact: DossierEntity['applicantContact'];
  proxy: DossierEntity['proxy'];
  documents: DossierEntity['documents'];
  state: SubmissionState;
  nationalStatus: number;
  submittedAt: Date;
  submittedBy: string;
  submittedByName: string | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  decidedByName: string | null;
  refusalReasons: string[] | null;
  dossierCode: string | null;
}

export interface NewSubmission {
  receivingUnitCode: string;
  procedureCode: string;
  caseCode: string | null;
  channel: string;
  applicant: { type: string; idNumber: string; name: string };
  applicantContact: DossierEntity['applicantContact'];
  proxy: DossierEntity['proxy'];
  documents: DossierEntity['documents'];
  submittedAt: Date;
  /** The portal's account (online), or the clerk who refused the applicant at the counter. */
  submittedBy: string;
  /** Refused in the same act, at the counter: the application never waits at the desk. */
  refusal?: { reasons: string[] };
  idempotency?: { scope: string; key: string; requestHash: string };
}

export interface SubmissionSearch {
  /** The units whose submissions the caller may see, or every unit. */
  visibleUnits: 'ALL' | string[];
  /** Also those this account submitted (a portal reads back what it sent). */
  submittedBy?: string;
  state?: SubmissionState;
  unit?: string;
  limit: number;
  offset: number;
}

/** Port for applications before reception; bound to the TypeORM implementation below. */
export abstract class SubmissionStore {
  /** Stores an application (waiting, or refused at the counter) and queues its portal message, once per key. */
  abstract submit(submission: NewSubmission): Promise<{ submission: SubmissionRow; replayed: boolean }>;
  /** A waiting application refused with reasons; 409 when a desk already decided it. */
  abstract refuse(id: string, refusal: { reasons: string[]; by: string; at: Date }): Promise<SubmissionRow>;
  abstract find(id: string): Promise<SubmissionRow | null>;
  /** The waiting ones first come, first served; the decided ones newest first. */
  abstract list(search: SubmissionSearch): Promise<{ total: number; items: SubmissionRow[] }>;
}

const SELECT = `
  SELECT s.id, s.no::int AS no, s.receiving_unit_code AS "receivingUnitCode", u.name AS "receivingUnitName",
         s.procedure_code AS "procedureCode", p.name AS "procedureName", s.case_code AS "caseCode", s.channel,
         json_build_object('type', s.applicant_type, 'idNumber', s.applicant_id_number, 'name', s.applicant_name)
           AS applicant,
         s.applicant_contact AS "applicantContact", s.proxy, s.documents, s.state, s.national_status AS "nationalStatus",
         s.submitted_at AS "submittedAt", s.submitted_by AS "submittedBy", sb.full_name AS "submittedByName",
         s.decided_at AS "decidedAt", s.decided_by AS "decidedBy", db.full_name AS "decidedByName",
         s.refusal_reasons AS "refusalReasons", s.dossier_code AS "dossierCode"
    FROM submissions s
    LEFT JOIN units u ON u.code = s.receiving_unit_code
    LEFT JOIN procedures p ON p.code = s.procedure_code
    LEFT JOIN officers sb ON sb.id = s.submitted_by
    LEFT JOIN officers db ON db.id = s.decided_by`;

/** The aggregate key of an application's portal messages until it becomes a dossier. */
const portalKey = (id: string): string => `portal:submission:${id}`;

/**
 * The portal message of an application's status (1 submitted online, 3 not received), built from its row as just
 * written: the portal learns of every application, also of those that never become a dossier.
 */
const QUEUE_SUBMISSION_SYNC = `
  INSERT INTO outbox_messages (kind, aggregate_key, payload, created_at, available_at)
  SELECT '${PORTAL_SYNC}', $2, jsonb_build_object(
      'syncId', s.id::text || ':' || $3::text,
      'submissionId', s.id,
      'dossierCode', NULL::text,
      'procedureCode', s.procedure_code,
      'procedureName', p.name,
      'field', p.field,
      'channel', s.channel,
      'applicantType', s.applicant_type,
      'applicantId', s.applicant_id_number,
      'submittedAt', s.submitted_at,
      'statusCode', s.national_status,
      'event', $3::text,
      'processingUnit', s.receiving_unit_code,
      'refusal', CASE WHEN s.state = 'REFUSED'
                      THEN jsonb_build_object('reasons', s.refusal_reasons, 'refusedAt', s.decided_at) END,
      'progress', jsonb_build_object(
        'officer', o.full_name, 'title', array_to_string(o.roles, ', '), 'unit', s.receiving_unit_code,
        'time', coalesce(s.decided_at, s.submitted_at), 'content', $4::text)),
    now(), now()
  FROM submissions s
  LEFT JOIN procedures p ON p.code = s.procedure_code
  LEFT JOIN officers o ON o.id = coalesce(s.decided_by, s.submitted_by)
  WHERE s.id = $1`;

/** The portal events of an application's own statuses. */
export const SUBMISSION_EVENTS = { SUBMITTED: 'SUBMITTED', REFUSED: 'REFUSED_AT_DESK' } as const;

const refusalContent = (reasons: string[]): string => `Từ chối tiếp nhận: ${reasons.join('; ')}`;

/**
 * Locks a waiting application for its reception (in the dossier's intake transaction); a clear 404 or 409 when there
 * is none or a desk already decided it, so two clerks reaching for one application cannot both take it.
 */
export async function lockWaitingSubmission(manager: EntityManager, id: string): Promise<void> {
  const [row] = await manager.query<Pick<SubmissionRow, 'state' | 'dossierCode'>[]>(
    `SELECT state, dossier_code AS "dossierCode" FROM submissions WHERE id = $1 FOR UPDATE`,
    [id],
  );
  assertSubmissionWaiting(id, row);
}

/**
 * The application became the dossier `code`: recorded in the intake's transaction, and its portal messages still
 * queued move to the dossier's key, so the portal hears "submitted" before "received" and everything after.
 */
export async function markSubmissionReceived(
  manager: EntityManager,
  id: string,
  reception: { code: string; by: string; at: Date },
): Promise<void> {
  await manager.query(
    `UPDATE submissions SET state = 'RECEIVED', national_status = $2, decided_at = $3, decided_by = $4, dossier_code = $5
      WHERE id = $1`,
    [id, SUBMISSION_NATIONAL_STATUS.RECEIVED, reception.at, reception.by, reception.code],
  );
  await manager.query(
    `UPDATE outbox_messages SET aggregate_key = $2 WHERE aggregate_key = $1 AND dispatched_at IS NULL`,
    [portalKey(id), `portal:${reception.code}`],
  );
}

/** 404 when there is no such application, 409 (with its state and dossier) when a desk already decided it. */
export function assertSubmissionWaiting(
  id: string,
  row: Pick<SubmissionRow, 'state' | 'dossierCode'> | undefined,
): void {
  if (!row) {
    throw new DomainException(DomainErrorCode.NOT_FOUND, `No submission has the id ${id}.`);
  }
  if (row.state !== 'SUBMITTED') {
    throw new DomainException(
      DomainErrorCode.INVALID_STATE,
      row.state === 'RECEIVED'
        ? `Submission ${id} was already received as dossier ${row.dossierCode}.`
        : `Submission ${id} was already refused at the desk.`,
      [],
      { state: row.state, dossierCode: row.dossierCode },
    );
  }
}

export class TypeOrmSubmissionStore extends SubmissionStore {
  /** `portalSync`: queue a national portal message with every status (a portal is configured). */
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: { portalSync?: boolean } = {},
  ) {
    super();
  }

  async submit(s: NewSubmission): Promise<{ submission: SubmissionRow; replayed: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const idem = s.idempotency;
      if (idem) {
        const claim = await claimIdempotencyKey(manager, idem.scope, idem.key, idem.requestHash);
        if (claim.kind === 'replay') {
          return { submission: await this.findWith(manager, String(claim.body.id)), replayed: true };
        }
      }
      const unit: unknown[] = await manager.query(`SELECT 1 FROM units WHERE code = $1`, [s.receivingUnitCode]);
      if (unit.length === 0) {
        throw new DomainException(DomainErrorCode.VALIDATION_FAILED, `Unknown receiving unit ${s.receivingUnitCode}.`, [
          { field: 'receivingUnitCode', message: 'must be the e-document code of a unit in the organisation' },
        ]);
      }
      const state: SubmissionState = s.refusal ? 'REFUSED' : 'SUBMITTED';
      const [{ id }] = await manager.query<{ id: string }[]>(
        `INSERT INTO submissions (receiving_unit_code, procedure_code, case_code, channel, applicant_type,
           applicant_id_number, applicant_name, applicant_contact, proxy, documents, state, national_status,
           submitted_at, submitted_by, decided_at, decided_by, refusal_reasons)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         RETURNING id`,
        [
          s.receivingUnitCode,
          s.procedureCode,
          s.caseCode,
          s.channel,
          s.applicant.type,
          s.applicant.idNumber,
          s.applicant.name,
          JSON.stringify(s.applicantContact),
          s.proxy ? JSON.stringify(s.proxy) : null,
          JSON.stringify(s.documents),
          state,
          SUBMISSION_NATIONAL_STATUS[state],
          s.submittedAt,
          s.submittedBy,
          s.refusal ? s.submittedAt : null,
          s.refusal ? s.submittedBy : null,
          s.refusal ? JSON.stringify(s.refusal.reasons) : null,
        ],
      );
      await this.queuePortalSync(
        manager,
        id,
        s.refusal ? SUBMISSION_EVENTS.REFUSED : SUBMISSION_EVENTS.SUBMITTED,
        s.refusal ? refusalContent(s.refusal.reasons) : `Nộp hồ sơ trực tuyến (${s.channel})`,
      );
      if (idem) {
        await completeIdempotencyKey(manager, idem.scope, idem.key, 201, { id });
      }
      return { submission: await this.findWith(manager, id), replayed: false };
    });
  }

  async refuse(id: string, refusal: { reasons: string[]; by: string; at: Date }): Promise<SubmissionRow> {
    return this.dataSource.transaction(async (manager) => {
      await lockWaitingSubmission(manager, id);
      await manager.query(
        `UPDATE submissions SET state = 'REFUSED', national_status = $2, decided_at = $3, decided_by = $4,
                refusal_reasons = $5 WHERE id = $1`,
        [id, SUBMISSION_NATIONAL_STATUS.REFUSED, refusal.at, refusal.by, JSON.stringify(refusal.reasons)],
      );
      await this.queuePortalSync(manager, id, SUBMISSION_EVENTS.REFUSED, refusalContent(refusal.reasons));
      return this.findWith(manager, id);
    });
  }

  async find(id: string): Promise<SubmissionRow | null> {
    const [row] = await this.dataSource.query<SubmissionRow[]>(`${SELECT} WHERE s.id = $1`, [id]);
    return row ?? null;
  }

  async list(search: SubmissionSearch): Promise<{ total: number; items: SubmissionRow[] }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (search.visibleUnits !== 'ALL') {
      const mine = search.submittedBy ? ` OR s.submitted_by = ${param(search.submittedBy)}` : '';
      where.push(`s.receiving_unit_code = ANY(${param(search.visibleUnits)})${mine}`);
    }
    if (search.state) {
      where.push(`s.state = ${param(search.state)}`);
    }
    if (search.unit) {
      where.push(`s.receiving_unit_code = ${param(search.unit)}`);
    }
    const clause = where.length > 0 ? `WHERE ${where.map((w) => `(${w})`).join(' AND ')}` : '';
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM submissions s ${clause}`,
      params,
    );
    const order = search.state === 'SUBMITTED' ? 's.submitted_at ASC, s.no ASC' : 's.submitted_at DESC, s.no DESC';
    const items = await this.dataSource.query<SubmissionRow[]>(
      `${SELECT} ${clause} ORDER BY ${order} LIMIT ${param(search.limit)} OFFSET ${param(search.offset)}`,
      params,
    );
    return { total, items };
  }

  private async findWith(manager: EntityManager, id: string): Promise<SubmissionRow> {
    const [row] = await manager.query<SubmissionRow[]>(`${SELECT} WHERE s.id = $1`, [id]);
    return row;
  }

  private async queuePortalSync(manager: EntityManager, id: string, event: string, content: string): Promise<void> {
    if (this.options.portalSync) {
      await manager.query(QUEUE_SUBMISSION_SYNC, [id, portalKey(id), event, content]);
    }
  }
}
