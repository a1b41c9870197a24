import { type EntityManager } from 'typeorm';
import { type Audience, type PromiseJudgement, type TransitionRecord } from '../../../domain/src';
import { announceDossierChange } from './dossier-changes';

/**
 * The writers of one workflow transition, each one table (or one message), run in order by
 * `DossierStore.recordTransition` inside its transaction. Same SQL as ever: they only name its parts.
 */

/** Inserts one event of a dossier; false when (code, seq) is already stored (a retried activity). */
export async function insertEvent(
  manager: EntityManager,
  dossierCode: string,
  seq: number,
  event: {
    type: string;
    nationalStatus: number;
    actorId?: string;
    payload?: Record<string, unknown>;
    occurredAt: string;
  },
): Promise<boolean> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO dossier_events (dossier_code, seq, type, national_status, actor_id, payload, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dossier_code, seq) DO NOTHING RETURNING seq`,
    [
      dossierCode,
      seq,
      event.type,
      event.nationalStatus,
      event.actorId ?? null,
      JSON.stringify(event.payload ?? {}),
      event.occurredAt,
    ],
  );
  return inserted.length > 0;
}

/**
 * The new appointment a transition makes, if any: a restart after a supplement (RESTART policy) counts the full time
 * again, and the receipt, the register, the public lookup and the portal show its due time from then on.
 */
export function newAppointment(record: TransitionRecord): string | null {
  const { event } = record;
  const promisedAt = event.payload.promisedAt;
  return event.type === 'SUPPLEMENT_SUBMITTED' && typeof promisedAt === 'string' ? promisedAt : null;
}

/** The dossier row takes the state after the transition (once: a later seq already written wins). */
export async function writeProjection(manager: EntityManager, record: TransitionRecord): Promise<void> {
  const { event, projection: p } = record;
  const step = p.currentStep;
  await manager.query(
    `UPDATE dossiers SET
       state = $3::varchar, national_status = $4, outcome = $5, current_step_no = $6, current_step_code = $7,
       current_step_name = $8, current_unit_code = $9, holder_id = $10, due_at = $11, paused_since = $12,
       pause_reason = $13, finished_at = $14, timeliness = $15, extended = $16, supplement_requests = $17,
       paid = $18, deadline = $19, last_event_seq = $2, updated_at = $20,
       segments = COALESCE($21::jsonb, segments), promised_at = COALESCE($22::timestamptz, promised_at),
       workflow_started_at = COALESCE(workflow_started_at, $20),
       result_returned_at = CASE WHEN $3::varchar = 'RESULT_RETURNED' THEN COALESCE(result_returned_at, $20)
                                 ELSE result_returned_at END
     WHERE code = $1 AND last_event_seq < $2`,
    [
      record.dossierCode,
      record.seq,
      p.state,
      p.nationalStatus,
      p.outcome,
      step?.no ?? null,
      step?.code ?? null,
      step?.name ?? null,
      step?.unit ?? null,
      step?.holderId ?? null,
      p.deadline.dueAt,
      p.deadline.pausedSince,
      p.deadline.pauseReason,
      p.finishedAt,
      p.timeliness,
      p.deadline.extended,
      p.deadline.supplementRequests,
      p.paid,
      JSON.stringify(p.deadline),
      event.occurredAt,
      p.segments ? JSON.stringify(p.segments) : null,
      newAppointment(record),
    ],
  );
}

/**
 * The report's row of the dossier: due time, end, outcome, pauses and when it was overdue. Its timeliness is the one
 * reports judge by: against the promised time (`judged`, for an extended dossier), else the workflow's. An overdue
 * interval opens with the dossier's breach and ends when a restart after a supplement moves its due time past the
 * restart: `overdue_at` is the open interval's start, `overdue_spans` keeps the ended ones.
 */
export async function writeDossierFacts(
  manager: EntityManager,
  record: TransitionRecord,
  judged?: PromiseJudgement,
): Promise<void> {
  const { event, projection: p } = record;
  const breach = event.facts.find((f) => f.kind === 'DOSSIER_BREACH');
  await manager.query(
    `UPDATE dossier_facts SET
       due_at = $2, finished_at = $3, outcome = $4, timeliness = $5, supplement_requests = $6,
       paused_from = COALESCE($7, paused_from), pause_reason = COALESCE($8, pause_reason),
       paused_to = CASE WHEN $7::timestamptz IS NOT NULL THEN NULL
                        WHEN paused_from IS NOT NULL AND paused_to IS NULL THEN $9 ELSE paused_to END,
       overdue_spans = CASE WHEN $14 AND overdue_at IS NOT NULL AND $2::timestamptz > $9::timestamptz
                            THEN overdue_spans + tstzmultirange(tstzrange(overdue_at, $9::timestamptz, '[)'))
                            ELSE overdue_spans END,
       overdue_at = CASE WHEN $14 AND overdue_at IS NOT NULL AND $2::timestamptz > $9::timestamptz THEN NULL
                         ELSE COALESCE(overdue_at, $10) END,
       extended = $11, original_due_at = COALESCE($12, original_due_at), index_due_at = $13, recorded_at = now()
     WHERE dossier_code = $1`,
    [
      record.dossierCode,
      p.deadline.dueAt,
      p.finishedAt,
      p.outcome,
      judged ? judged.timeliness : p.timeliness,
      p.deadline.supplementRequests,
      p.deadline.pausedSince,
      p.deadline.pauseReason,
      event.occurredAt,
      breach?.dueAt ?? null,
      p.deadline.extended,
      judged?.originalDueAt ?? null,
      p.deadline.indexDueAt ?? null,
      // A restart re-arms the dossier's breach; a calendar edit does not (yet), so it leaves the interval open.
      event.type === 'SUPPLEMENT_SUBMITTED',
    ],
  );
}

/** The control sheet's steps as the transition leaves them (a row written by a later seq is kept). */
export async function writeSteps(manager: EntityManager, record: TransitionRecord): Promise<void> {
  const p = record.projection;
  if (p.steps.length > 0) {
    const columns = 17;
    const values: unknown[] = [];
    const rows = p.steps.map((s, i) => {
      values.push(
        record.dossierCode,
        s.no,
        s.code,
        s.name,
        s.unit,
        s.role,
        s.counted,
        s.holderId,
        s.holderName,
        s.startedAt,
        s.clock?.budgetMs ?? null,
        s.dueAt,
        s.completedAt,
        s.result,
        s.exit,
        s.handedTo,
        s.note,
      );
      const base = i * columns;
      return `(${Array.from({ length: columns }, (_, k) => `$${base + k + 1}`).join(', ')}, ${record.seq})`;
    });
    await manager.query(
      `INSERT INTO dossier_steps (dossier_code, no, code, name, unit_code, role, counted, holder_id, holder_name,
                                  started_at, budget_ms, due_at, completed_at, result, exit, handed_to, note, as_of_seq)
       VALUES ${rows.join(', ')}
       ON CONFLICT (dossier_code, no) DO UPDATE SET
         holder_id = EXCLUDED.holder_id, holder_name = COALESCE(EXCLUDED.holder_name, dossier_steps.holder_name),
         due_at = EXCLUDED.due_at, completed_at = EXCLUDED.completed_at, result = EXCLUDED.result,
         exit = EXCLUDED.exit, handed_to = EXCLUDED.handed_to, note = EXCLUDED.note, as_of_seq = EXCLUDED.as_of_seq
       WHERE dossier_steps.as_of_seq < EXCLUDED.as_of_seq`,
      values,
    );
  }
}

/** The breaches the transition found, attributed to a unit and an officer (once per event and kind). */
export async function writeDeadlineFacts(manager: EntityManager, record: TransitionRecord): Promise<void> {
  const { event } = record;
  for (const fact of event.facts) {
    await manager.query(
      `INSERT INTO deadline_facts (dossier_code, event_seq, kind, unit_code, officer_id, step_no, step_code, due_at,
                                   occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
      [
        record.dossierCode,
        record.seq,
        fact.kind,
        fact.unitCode,
        fact.officerId,
        fact.stepNo,
        fact.stepCode,
        fact.dueAt,
        fact.occurredAt,
      ],
    );
  }
}

/** The notifications of the transition, one per officer its audiences name; returns who was notified. */
export async function writeNotifications(manager: EntityManager, record: TransitionRecord): Promise<string[]> {
  const { event } = record;
  const notified: string[] = [];
  for (const notification of event.notifications) {
    const recipients = new Set<string>();
    for (const audience of notification.audience) {
      for (const id of await audienceOfficers(manager, audience)) {
        recipients.add(id);
      }
    }
    for (const recipient of recipients) {
      await manager.query(
        `INSERT INTO notifications (recipient_id, dossier_code, event_seq, kind, message, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [recipient, record.dossierCode, record.seq, notification.kind, notification.message, event.occurredAt],
      );
      notified.push(recipient);
    }
  }
  return notified;
}

/** Officers an audience names; division heads fall back to the unit head when the unit has none. */
async function audienceOfficers(manager: EntityManager, audience: Audience): Promise<string[]> {
  switch (audience.kind) {
    case 'OFFICER':
      return [audience.officerId];
    case 'UNIT_HEAD': {
      const rows: { id: string | null }[] = await manager.query(
        `SELECT head_officer_id AS id FROM units WHERE code = $1`,
        [audience.unit],
      );
      return rows.map((r) => r.id).filter((id): id is string => id !== null);
    }
    case 'DIVISION_HEADS': {
      const rows: { id: string }[] = await manager.query(
        `SELECT id FROM officers WHERE active AND 'DIVISION_HEAD' = ANY(roles) AND $1 = ANY(unit_codes)`,
        [audience.unit],
      );
      return rows.length > 0
        ? rows.map((r) => r.id)
        : audienceOfficers(manager, { kind: 'UNIT_HEAD', unit: audience.unit });
    }
  }
}

/** Tells the API's listeners (NOTIFY, sent at commit) that the dossier changed and whom it notified. */
export async function announceTransition(
  manager: EntityManager,
  record: TransitionRecord,
  notified: string[],
): Promise<void> {
  const { event, projection: p } = record;
  await announceDossierChange(manager, {
    code: record.dossierCode,
    seq: record.seq,
    type: event.type,
    occurredAt: event.occurredAt,
    stepUnits: p.steps.map((st) => st.unit),
    notified,
  });
}
