import { type DataSource, type EntityManager } from 'typeorm';
import {
  DomainErrorCode,
  DomainException,
  type DossierCodeFormat,
  dossierCodePrefix,
  DOSSIER_SEQUENCE_DIGITS,
  formatLocalDate,
  type LocalDate,
  NationalStatus,
  type PromiseJudgement,
  type TransitionRecord,
} from '../../../domain/src';
import { DossierEntity, DossierEventEntity } from '../entities';
import { queueHandoffMessages } from './handoff.store';
import { touchesPayments, writePayments } from './payment.store';
import { mayQueueHandoff, notificationsOf, readsOrganisation, writeTransition } from './transition-statement';
import { insertEvent } from './transition-writers';
import { insertPetitionLink, type NewPetitionLink } from './citizens-voice.store';
import { insertDossierFile, type NewDossierFile } from './file.store';
import { storedAnswer } from './idempotency';
import { PORTAL_SYNC } from './portal-sync';
import { lockWaitingSubmission, markSubmissionReceived } from './submission.store';
import { adoptSubmissionFiles } from './submission-file.store';

export interface ReceiveDossierCommand {
  receivingUnitCode: string;
  procedureCode: string;
  /** The catalog version in force at receipt: the dossier keeps its rules even when the catalog changes. */
  procedureVersionId: string;
  caseCode: string;
  channel: string;
  applicant: { type: string; idNumber: string; name: string };
  receivedAt: Date;
  /** The receipt date in the deployment's zone: it names the code's YYMMDD and the daily sequence. */
  receiptDay: LocalDate;
  /** The configured pattern of the code (DOSSIER_CODE_PATTERN); unset: the legal form `<unit>-YYMMDD-XXXX`. */
  codeFormat?: DossierCodeFormat;
  receivedBy: string;
  /** The return time printed on the receipt. */
  promisedAt: Date;
  documents: DossierEntity['documents'];
  applicantContact: DossierEntity['applicantContact'];
  proxy: DossierEntity['proxy'];
  /** The citizen's lookup PIN, hashed (lookup-pin.ts): the PIN itself only goes on the receipt. */
  lookupPinHash: string;
  /** What the relay hands to Temporal once the transaction commits. */
  outbox: { kind: string; payload: Record<string, unknown> };
  idempotency?: { scope: string; key: string; requestHash: string };
  /** A partner's system handed the dossier over: recorded with it, so every answer finds its way back. */
  handoff?: { id: string; partner: string; segmentCode: string; originDossierCode: string };
  /** The application submitted online that this reception takes in (it must still be waiting at the desk). */
  submissionId?: string;
  /** A petition: what it is about, linked in the same transaction. */
  petition?: Omit<NewPetitionLink, 'petitionCode'>;
  /** Files of earlier dossiers reused instead of scanned again, recorded with the dossier (a replay finds them). */
  reusedFiles?: Omit<NewDossierFile, 'dossierCode'>[];
}

/**
 * One message to the national portal (domain §7: every status change synced), built in the transaction of the
 * change from the dossier row as it was just before it: the portal's fields, the new status, and a progress entry.
 */
const QUEUE_PORTAL_SYNC = `
  INSERT INTO outbox_messages (kind, aggregate_key, payload, created_at, available_at)
  SELECT '${PORTAL_SYNC}', 'portal:' || d.code, jsonb_build_object(
      'syncId', d.code || ':' || $2::int,
      'seq', $2::int,
      'dossierCode', d.code,
      'submissionId', (SELECT s.id FROM submissions s WHERE s.dossier_code = d.code),
      'procedureCode', d.procedure_code,
      'procedureName', p.name,
      'field', p.field,
      'applicantType', d.applicant_type,
      'applicantId', d.applicant_id_number,
      'receivedAt', d.received_at,
      'promisedAt', coalesce($13::timestamptz, d.promised_at),
      'statusCode', $3::int,
      'event', $4::text,
      'processingUnit', coalesce($5::varchar, d.receiving_unit_code),
      'dueAt', $6::timestamptz,
      'finishedAt', $7::timestamptz,
      'returnedAt', CASE WHEN $4::text = 'RESULT_RETURNED' THEN $8::timestamptz ELSE d.result_returned_at END,
      'supplement', CASE WHEN $4::text IN ('SUPPLEMENT_REQUESTED', 'SUPPLEMENT_SUBMITTED')
                         THEN jsonb_build_object('previousDueAt', d.due_at, 'newDueAt', $6::timestamptz) END,
      'progress', jsonb_build_object(
        'officer', o.full_name, 'title', array_to_string(o.roles, ', '), 'unit', coalesce($5::varchar, d.receiving_unit_code),
        'time', $8::timestamptz, 'content', $9::text, 'stepStart', $10::timestamptz, 'legalEnd', $11::timestamptz)),
    now(), now()
  FROM dossiers d
  LEFT JOIN procedures p ON p.code = d.procedure_code
  LEFT JOIN officers o ON o.id = $12::uuid
  WHERE d.code = $1`;

/**
 * The national portal's "received" message of an intake, as QUEUE_PORTAL_SYNC builds a change's, inside the intake's
 * statement: from its parameters (the dossier row is not readable there yet) and the code in `c`. `$n` as the
 * intake statement numbers them; the application's id and the progress text are the caller's parameters.
 */
const intakePortalSync = (submissionId: string, content: string): string => `
  INSERT INTO outbox_messages (kind, aggregate_key, payload, created_at, available_at)
  SELECT '${PORTAL_SYNC}', 'portal:' || c.code, jsonb_build_object(
      'syncId', c.code || ':0',
      'seq', 0,
      'dossierCode', c.code,
      'submissionId', ${submissionId}::text,
      'procedureCode', $3::varchar,
      'procedureName', p.name,
      'field', p.field,
      'applicantType', $7::varchar,
      'applicantId', $8::varchar,
      'receivedAt', $11::timestamptz,
      'promisedAt', $13::timestamptz,
      'statusCode', $10::int,
      'event', $18::text,
      'processingUnit', $2::varchar,
      'dueAt', $13::timestamptz,
      'finishedAt', NULL,
      'returnedAt', NULL,
      'supplement', NULL,
      'progress', jsonb_build_object(
        'officer', o.full_name, 'title', array_to_string(o.roles, ', '), 'unit', $2::varchar,
        'time', $11::timestamptz, 'content', ${content}::text, 'stepStart', $11::timestamptz,
        'legalEnd', $13::timestamptz)),
    now(), now()
  FROM c
  LEFT JOIN procedures p ON p.code = $3
  LEFT JOIN officers o ON o.id = $12::uuid`;

export interface ReceiveDossierResult {
  dossier: DossierEntity;
  /** The RECEIVED event, when this call created the dossier (a replay reads the history instead). */
  event?: DossierEventEntity;
  /** True when an earlier request with the same Idempotency-Key created the dossier. */
  replayed: boolean;
}

export interface DossierEventRecord {
  dossierCode: string;
  seq: number;
  type: string;
  nationalStatus: NationalStatus;
  occurredAt: Date;
  actorId?: string;
  payload?: Record<string, unknown>;
  /** Projection columns the event changes. */
  patch?: Partial<Pick<DossierEntity, 'workflowStartedAt' | 'resultReturnedAt'>>;
}

export interface DossierStepRow {
  no: number;
  code: string;
  name: string;
  unitCode: string;
  role: string;
  counted: boolean;
  holderId: string | null;
  holderName: string | null;
  startedAt: Date;
  budgetMs: number | null;
  dueAt: Date | null;
  completedAt: Date | null;
  result: string | null;
  exit: string | null;
  handedTo: string | null;
  note: string | null;
}

export interface DeadlineFactRow {
  kind: string;
  unitCode: string;
  officerId: string | null;
  stepNo: number | null;
  stepCode: string | null;
  dueAt: Date;
  occurredAt: Date;
}

/** Port for dossier persistence; bound to the TypeORM implementation below. */
export abstract class DossierStore {
  /**
   * Stores a workflow transition once (event, projection, step rows, facts, notifications) in one transaction. The
   * report's fact row takes `judged` (an extended dossier judged against its promised time) when given.
   */
  abstract recordTransition(
    record: TransitionRecord,
    judged?: PromiseJudgement,
  ): Promise<{ applied: boolean; notified: number }>;
  abstract listSteps(code: string): Promise<DossierStepRow[]>;
  abstract listFacts(code: string): Promise<DeadlineFactRow[]>;
  abstract receive(command: ReceiveDossierCommand): Promise<ReceiveDossierResult>;
  abstract findByCode(code: string): Promise<DossierEntity | null>;
  abstract listEvents(code: string): Promise<DossierEventEntity[]>;
  /** Writes an event and its projection once; a retry with the same (code, seq) changes nothing. */
  abstract recordEvent(event: DossierEventRecord): Promise<{ applied: boolean }>;
}

export class TypeOrmDossierStore extends DossierStore {
  /** `portalSync`: queue a national portal message with every status change (a portal is configured). */
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: { portalSync?: boolean } = {},
  ) {
    super();
  }

  /**
   * Intake. The common one (a desk's, a partner's hand-off, with or without an Idempotency-Key) is one statement run
   * on its own: the desk's code-sequence row, which every other intake at that desk and day waits for, is then locked
   * only while PostgreSQL executes and commits it, not across a round trip to the API (whose event loop, busy with
   * other requests, answered it late: ~15 ms per intake under load, the desk's cap). Receiving an online application,
   * a petition or reused files adds statements that need the code: those run in a transaction around the same
   * statement.
   */
  async receive(command: ReceiveDossierCommand): Promise<ReceiveDossierResult> {
    const idem = command.idempotency;
    const store = async (manager: EntityManager): Promise<ReceiveDossierResult> => {
      if (command.submissionId) {
        await lockWaitingSubmission(manager, command.submissionId);
      }
      const received = await this.storeIntake(manager, command);
      if (!received) {
        // Or its key was used already: the replay below answers that.
        throw new DomainException(
          DomainErrorCode.VALIDATION_FAILED,
          `Unknown receiving unit ${command.receivingUnitCode}.`,
          [{ field: 'receivingUnitCode', message: 'must be the e-document code of a unit in the organisation' }],
        );
      }
      const { code } = received.dossier;
      if (command.submissionId) {
        await markSubmissionReceived(manager, command.submissionId, {
          code,
          by: command.receivedBy,
          at: command.receivedAt,
        });
        await adoptSubmissionFiles(manager, command.submissionId, code);
      }
      if (command.petition) {
        await insertPetitionLink(manager, { ...command.petition, petitionCode: code });
      }
      for (const file of command.reusedFiles ?? []) {
        await insertDossierFile(manager, { ...file, dossierCode: code });
      }
      return received;
    };
    const alone = !command.submissionId && !command.petition && !command.reusedFiles?.length;
    try {
      return await (alone ? store(this.dataSource.manager) : this.dataSource.transaction(store));
    } catch (e) {
      // A key already used stores nothing (no number spent; an application it received is no longer waiting), and two
      // requests with one key at once fail the second once the first committed: the first's answer is the one to give.
      const earlier = idem && (await this.replayed(this.dataSource.manager, idem));
      if (earlier) {
        return earlier;
      }
      throw e;
    }
  }

  /** The dossier an earlier request with this Idempotency-Key stored; a 409 when that request had another body. */
  private async replayed(
    manager: EntityManager,
    idem: NonNullable<ReceiveDossierCommand['idempotency']>,
  ): Promise<ReceiveDossierResult | undefined> {
    const answer = await storedAnswer(manager, idem.scope, idem.key, idem.requestHash);
    if (!answer) {
      return undefined;
    }
    const dossier = await manager.findOneByOrFail(DossierEntity, { code: String(answer.body.code) });
    return { dossier, replayed: true };
  }

  /**
   * The one statement of an intake: the code's number from the (unit, day) sequence row (locked from here to the
   * commit: no gaps, no repeats, restart-safe), the dossier, its first event, its facts, the outbox row that starts
   * its workflow, the national portal's message (a portal configured), a hand-off's record and the Idempotency-Key's
   * answer. Nothing is written (and no number spent) when the unit is unknown or the key already taken: undefined.
   * The number is written as formatDossierCode writes it (at least DOSSIER_SEQUENCE_DIGITS digits).
   */
  private async storeIntake(
    manager: EntityManager,
    command: ReceiveDossierCommand,
  ): Promise<(ReceiveDossierResult & { event: DossierEventEntity }) | undefined> {
    const dossier = manager.create(DossierEntity, {
      code: '', // the statement below numbers it
      receivingUnitCode: command.receivingUnitCode,
      procedureCode: command.procedureCode,
      procedureVersionId: command.procedureVersionId,
      caseCode: command.caseCode,
      channel: command.channel,
      applicantType: command.applicant.type,
      applicantIdNumber: command.applicant.idNumber,
      applicantName: command.applicant.name,
      nationalStatus: NationalStatus.RECEIVED,
      receivedAt: command.receivedAt,
      receivedBy: command.receivedBy,
      workflowStartedAt: null,
      resultReturnedAt: null,
      lastEventSeq: 0,
      updatedAt: command.receivedAt,
      state: 'RECEIVED',
      promisedAt: command.promisedAt,
      dueAt: command.promisedAt,
      documents: command.documents,
      applicantContact: command.applicantContact,
      proxy: command.proxy,
      lookupPinHash: command.lookupPinHash,
      // What the INSERT below leaves to the columns' defaults: the entity answered at intake is the row as stored
      // (the intake's answer lacked `extended` and `supplementRequests`, which its schema requires).
      outcome: null,
      currentStepNo: null,
      currentStepCode: null,
      currentStepName: null,
      currentUnitCode: null,
      holderId: null,
      pausedSince: null,
      pauseReason: null,
      finishedAt: null,
      timeliness: null,
      extended: false,
      supplementRequests: 0,
      paid: false,
      deadline: null,
      segments: null,
    });
    const event = manager.create(DossierEventEntity, {
      dossierCode: '',
      seq: 0,
      type: 'RECEIVED',
      nationalStatus: NationalStatus.RECEIVED,
      actorId: command.receivedBy,
      payload: { channel: command.channel, ...(command.submissionId ? { submissionId: command.submissionId } : {}) },
      occurredAt: command.receivedAt,
      recordedAt: command.receivedAt,
    });
    const idem = command.idempotency;
    const handoff = command.handoff;
    const params: unknown[] = [
      dossierCodePrefix(command.receivingUnitCode, command.receiptDay, command.codeFormat),
      dossier.receivingUnitCode,
      dossier.procedureCode,
      dossier.procedureVersionId,
      dossier.caseCode,
      dossier.channel,
      dossier.applicantType,
      dossier.applicantIdNumber,
      dossier.applicantName,
      dossier.nationalStatus,
      dossier.receivedAt,
      dossier.receivedBy,
      dossier.promisedAt,
      JSON.stringify(dossier.documents),
      JSON.stringify(dossier.applicantContact),
      dossier.proxy ? JSON.stringify(dossier.proxy) : null,
      dossier.lookupPinHash,
      event.type,
      JSON.stringify(event.payload),
      command.outbox.kind,
      JSON.stringify(command.outbox.payload),
      formatLocalDate(command.receiptDay),
    ];
    const param = (value: unknown): string => `$${params.push(value)}`;
    // Each optional part is a CTE of its own, reading the code from `c`.
    const parts: string[] = [];
    if (idem) {
      // A plain INSERT: a concurrent request with the same key waits for this one, then fails on the key and replays.
      parts.push(`k AS (
        INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body)
        SELECT ${param(idem.scope)}, ${param(idem.key)}, ${param(idem.requestHash)}, 201, jsonb_build_object('code', code)
        FROM c)`);
    }
    if (this.options.portalSync) {
      parts.push(
        `ps AS (${intakePortalSync(param(command.submissionId ?? null), param(`Tiếp nhận hồ sơ (${command.channel})`))})`,
      );
    }
    if (handoff) {
      parts.push(`h AS (
        INSERT INTO handoffs (id, direction, partner_id, dossier_code, segment_code, origin_dossier_code, state)
        SELECT ${param(handoff.id)}, 'IN', ${param(handoff.partner)}, code, ${param(handoff.segmentCode)},
               ${param(handoff.originDossierCode)}, 'RECEIVED'
        FROM c)`);
    }
    // The number is spent only for a known unit and a key not yet taken.
    const gate = idem
      ? `AND NOT EXISTS (SELECT 1 FROM idempotency_keys WHERE scope = ${param(idem.scope)} AND key = ${param(idem.key)})`
      : '';
    const rows = await manager.query<{ id: string; code: string }[]>(
      `WITH s AS (
         INSERT INTO dossier_code_sequences (unit_code, day, last_value)
         SELECT $2::varchar, $22::date, 1 WHERE EXISTS (SELECT 1 FROM units WHERE code = $2::varchar) ${gate}
         ON CONFLICT (unit_code, day) DO UPDATE SET last_value = dossier_code_sequences.last_value + 1
         RETURNING last_value),
       c AS (
         SELECT $1 || lpad(last_value::text, greatest(${DOSSIER_SEQUENCE_DIGITS}, length(last_value::text)), '0') AS code
         FROM s),
       d AS (
         INSERT INTO dossiers (code, receiving_unit_code, procedure_code, procedure_version_id, case_code, channel,
           applicant_type, applicant_id_number, applicant_name, national_status, received_at, received_by, updated_at,
           last_event_seq, state, promised_at, due_at, documents, applicant_contact, proxy, lookup_pin_hash)
         SELECT code, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11, 0, 'RECEIVED', $13, $13, $14, $15, $16, $17
         FROM c
         RETURNING id, code),
       e AS (
         INSERT INTO dossier_events (dossier_code, seq, type, national_status, actor_id, payload, occurred_at, recorded_at)
         SELECT code, 0, $18, $10, $12, $19, $11, $11 FROM c),
       o AS (
         INSERT INTO outbox_messages (kind, aggregate_key, payload, created_at, available_at)
         SELECT $20, code, $21::jsonb || jsonb_build_object('dossierCode', code), $11, $11 FROM c),
       f AS (
         INSERT INTO dossier_facts (dossier_code, unit_code, procedure_code, field, channel, received_at, due_at,
                                    recorded_at)
         SELECT code, $2, $3, COALESCE((SELECT field FROM procedures WHERE code = $3), ''), $6, $11, $13, $11 FROM c)
       ${parts.map((part) => `, ${part}`).join('\n')}
       SELECT id, code FROM d`,
      params,
    );
    if (rows.length === 0) {
      return undefined;
    }
    const [{ id, code }] = rows;
    dossier.id = id;
    dossier.code = code;
    event.dossierCode = code;
    return { dossier, event, replayed: false };
  }

  findByCode(code: string): Promise<DossierEntity | null> {
    return this.dataSource.getRepository(DossierEntity).findOneBy({ code });
  }

  listEvents(code: string): Promise<DossierEventEntity[]> {
    return this.dataSource
      .getRepository(DossierEventEntity)
      .find({ where: { dossierCode: code }, order: { seq: 'ASC' } });
  }

  async recordEvent(event: DossierEventRecord): Promise<{ applied: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const inserted = await insertEvent(manager, event.dossierCode, event.seq, {
        ...event,
        occurredAt: event.occurredAt.toISOString(),
      });
      if (!inserted) {
        return { applied: false };
      }
      await manager
        .createQueryBuilder()
        .update(DossierEntity)
        .set({
          ...event.patch,
          nationalStatus: event.nationalStatus,
          lastEventSeq: event.seq,
          updatedAt: event.occurredAt,
        })
        .where('code = :code AND last_event_seq < :seq', { code: event.dossierCode, seq: event.seq })
        .execute();
      return { applied: true };
    });
  }

  /**
   * Stores one transition once: a retry with the same (code, seq) writes nothing. One statement does it all
   * (writeTransition); only a transition that names officers by their unit's organisation, queues a hand-off message,
   * or asks, records or (finishing the dossier) cancels a fee runs it in a transaction with those reads and writes.
   */
  async recordTransition(
    record: TransitionRecord,
    judged?: PromiseJudgement,
  ): Promise<{ applied: boolean; notified: number }> {
    const queuePortalSync = this.options.portalSync ? QUEUE_PORTAL_SYNC : undefined;
    const write = async (manager: EntityManager) => {
      const notifications = await notificationsOf(manager, record);
      return writeTransition(manager, record, { judged, notifications, queuePortalSync });
    };
    if (!readsOrganisation(record) && !mayQueueHandoff(record) && !touchesPayments(record)) {
      const { applied, notified } = await write(this.dataSource.manager);
      return { applied, notified: notified.length };
    }
    return this.dataSource.transaction(async (manager) => {
      const { applied, notified } = await write(manager);
      if (applied) {
        await queueHandoffMessages(manager, record);
        await writePayments(manager, record);
      }
      return { applied, notified: notified.length };
    });
  }

  async listSteps(code: string): Promise<DossierStepRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT no, code, name, unit_code AS "unitCode", role, counted, holder_id AS "holderId",
              holder_name AS "holderName", started_at AS "startedAt", budget_ms::float8 AS "budgetMs", due_at AS "dueAt",
              completed_at AS "completedAt", result, exit, handed_to AS "handedTo", note
         FROM dossier_steps WHERE dossier_code = $1 ORDER BY no`,
      [code],
    );
    return rows as unknown as DossierStepRow[];
  }

  async listFacts(code: string): Promise<DeadlineFactRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT kind, unit_code AS "unitCode", officer_id AS "officerId", step_no AS "stepNo", step_code AS "stepCode",
              due_at AS "dueAt", occurred_at AS "occurredAt"
         FROM deadline_facts WHERE dossier_code = $1 ORDER BY occurred_at, id`,
      [code],
    );
    return rows as unknown as DeadlineFactRow[];
  }
}
