import { type EntityManager } from 'typeorm';
import { type Audience, type PromiseJudgement, type TransitionRecord } from '../../../domain/src';
import { DOSSIER_CHANGES_CHANNEL } from './dossier-changes';
import { newAppointment } from './transition-writers';

/**
 * One workflow transition written by ONE statement (one round trip, atomic by itself): its event, the dossier row
 * (the projection), the report's facts row, the control sheet's steps, the breaches, the notifications, the portal
 * message (when a portal is configured) and the NOTIFY to the API's listeners. Each part is gated on the event's
 * insert: a retried activity (same dossier and seq) finds the event stored, and the statement writes nothing at all.
 * The rows are the ones the writers of each table wrote one statement at a time before (issue 17): every part reads
 * the snapshot the statement started from, which is what they read when they ran before the dossier row's update
 * (the portal message's previous due time); the notice reads the row as the update left it (its RETURNING).
 */

/** The parameters shared by every part, in this order. */
const P = {
  code: 1,
  seq: 2,
  type: 3,
  status: 4,
  actorId: 5,
  payload: 6,
  occurredAt: 7,
  state: 8,
  outcome: 9,
  stepNo: 10,
  stepCode: 11,
  stepName: 12,
  stepUnit: 13,
  holderId: 14,
  dueAt: 15,
  pausedSince: 16,
  pauseReason: 17,
  finishedAt: 18,
  timeliness: 19,
  extended: 20,
  supplementRequests: 21,
  paid: 22,
  deadline: 23,
  segments: 24,
  promisedAt: 25,
  judgedTimeliness: 26,
  breachDueAt: 27,
  originalDueAt: 28,
  indexDueAt: 29,
  restart: 30,
  steps: 31,
  facts: 32,
  notifications: 33,
  stepUnits: 34,
  notified: 35,
  content: 36,
  stepStart: 37,
  legalEnd: 38,
} as const;

const $ = (name: keyof typeof P): string => `$${P[name]}`;
const APPLIED = `EXISTS (SELECT 1 FROM ins)`;

/**
 * The portal message, as `queuePortalSync` words it (its parameters renamed to the ones above), queued only when the
 * event is new.
 */
function portalPart(queuePortalSync: string): string {
  const renamed: Record<number, keyof typeof P> = {
    1: 'code',
    2: 'seq',
    3: 'status',
    4: 'type',
    5: 'stepUnit',
    6: 'dueAt',
    7: 'finishedAt',
    8: 'occurredAt',
    9: 'content',
    10: 'stepStart',
    11: 'legalEnd',
    12: 'actorId',
    13: 'promisedAt',
  };
  const sql = queuePortalSync.replace(/\$(\d+)/g, (_, n: string) => $(renamed[Number(n)]));
  return `portal AS (${sql.trim()} AND ${APPLIED}),`;
}

function transitionSql(queuePortalSync: string | undefined): string {
  return `
  WITH ins AS (
    INSERT INTO dossier_events (dossier_code, seq, type, national_status, actor_id, payload, occurred_at)
    VALUES (${$('code')}::varchar, ${$('seq')}::int, ${$('type')}::varchar, ${$('status')}::int, ${$('actorId')}::uuid,
            ${$('payload')}::jsonb, ${$('occurredAt')}::timestamptz)
    ON CONFLICT (dossier_code, seq) DO NOTHING RETURNING seq
  ),
  ${queuePortalSync ? portalPart(queuePortalSync) : ''}
  proj AS (
    UPDATE dossiers SET
      state = ${$('state')}::varchar, national_status = ${$('status')}::int, outcome = ${$('outcome')}::varchar,
      current_step_no = ${$('stepNo')}::int, current_step_code = ${$('stepCode')}::varchar,
      current_step_name = ${$('stepName')}::text, current_unit_code = ${$('stepUnit')}::varchar,
      holder_id = ${$('holderId')}::uuid, due_at = ${$('dueAt')}::timestamptz,
      paused_since = ${$('pausedSince')}::timestamptz, pause_reason = ${$('pauseReason')}::varchar,
      finished_at = ${$('finishedAt')}::timestamptz, timeliness = ${$('timeliness')}::varchar,
      extended = ${$('extended')}::boolean, supplement_requests = ${$('supplementRequests')}::int,
      paid = ${$('paid')}::boolean, deadline = ${$('deadline')}::jsonb, last_event_seq = ${$('seq')}::int,
      updated_at = ${$('occurredAt')}::timestamptz,
      segments = COALESCE(${$('segments')}::jsonb, segments),
      promised_at = COALESCE(${$('promisedAt')}::timestamptz, promised_at),
      workflow_started_at = COALESCE(workflow_started_at, ${$('occurredAt')}::timestamptz),
      result_returned_at = CASE WHEN ${$('state')}::varchar = 'RESULT_RETURNED'
                                THEN COALESCE(result_returned_at, ${$('occurredAt')}::timestamptz)
                                ELSE result_returned_at END
    WHERE code = ${$('code')}::varchar AND last_event_seq < ${$('seq')}::int AND ${APPLIED}
    RETURNING code, state, national_status, current_unit_code, holder_id
  ),
  facts AS (
    UPDATE dossier_facts SET
      due_at = ${$('dueAt')}::timestamptz, finished_at = ${$('finishedAt')}::timestamptz,
      outcome = ${$('outcome')}::varchar, timeliness = ${$('judgedTimeliness')}::varchar,
      supplement_requests = ${$('supplementRequests')}::int,
      paused_from = COALESCE(${$('pausedSince')}::timestamptz, paused_from),
      pause_reason = COALESCE(${$('pauseReason')}::varchar, pause_reason),
      paused_to = CASE WHEN ${$('pausedSince')}::timestamptz IS NOT NULL THEN NULL
                       WHEN paused_from IS NOT NULL AND paused_to IS NULL THEN ${$('occurredAt')}::timestamptz
                       ELSE paused_to END,
      overdue_spans = CASE WHEN ${$('restart')}::boolean AND overdue_at IS NOT NULL
                                AND ${$('dueAt')}::timestamptz > ${$('occurredAt')}::timestamptz
                           THEN overdue_spans + tstzmultirange(tstzrange(overdue_at, ${$('occurredAt')}::timestamptz, '[)'))
                           ELSE overdue_spans END,
      overdue_at = CASE WHEN ${$('restart')}::boolean AND overdue_at IS NOT NULL
                             AND ${$('dueAt')}::timestamptz > ${$('occurredAt')}::timestamptz THEN NULL
                        ELSE COALESCE(overdue_at, ${$('breachDueAt')}::timestamptz) END,
      extended = ${$('extended')}::boolean, original_due_at = COALESCE(${$('originalDueAt')}::timestamptz, original_due_at),
      index_due_at = ${$('indexDueAt')}::timestamptz, recorded_at = now()
    WHERE dossier_code = ${$('code')}::varchar AND ${APPLIED}
  ),
  steps AS (
    INSERT INTO dossier_steps (dossier_code, no, code, name, unit_code, role, counted, holder_id, holder_name,
                               started_at, budget_ms, due_at, completed_at, result, exit, handed_to, note, as_of_seq)
    SELECT ${$('code')}::varchar, s.no, s.code, s.name, s.unit_code, s.role, s.counted, s.holder_id, s.holder_name,
           s.started_at, s.budget_ms, s.due_at, s.completed_at, s.result, s.exit, s.handed_to, s.note, ${$('seq')}::int
      FROM jsonb_to_recordset(${$('steps')}::jsonb) AS s(no int, code varchar, name text, unit_code varchar,
             role varchar, counted boolean, holder_id uuid, holder_name text, started_at timestamptz, budget_ms bigint,
             due_at timestamptz, completed_at timestamptz, result varchar, exit varchar, handed_to varchar, note text)
     WHERE ${APPLIED}
    ON CONFLICT (dossier_code, no) DO UPDATE SET
      holder_id = EXCLUDED.holder_id, holder_name = COALESCE(EXCLUDED.holder_name, dossier_steps.holder_name),
      due_at = EXCLUDED.due_at, completed_at = EXCLUDED.completed_at, result = EXCLUDED.result,
      exit = EXCLUDED.exit, handed_to = EXCLUDED.handed_to, note = EXCLUDED.note, as_of_seq = EXCLUDED.as_of_seq
    WHERE dossier_steps.as_of_seq < EXCLUDED.as_of_seq
  ),
  breaches AS (
    INSERT INTO deadline_facts (dossier_code, event_seq, kind, unit_code, officer_id, step_no, step_code, due_at,
                                occurred_at)
    SELECT ${$('code')}::varchar, ${$('seq')}::int, f.kind, f.unit_code, f.officer_id, f.step_no, f.step_code, f.due_at,
           f.occurred_at
      FROM ROWS FROM (jsonb_to_recordset(${$('facts')}::jsonb) AS (kind varchar, unit_code varchar, officer_id uuid,
             step_no int, step_code varchar, due_at timestamptz, occurred_at timestamptz)) WITH ORDINALITY
             AS f(kind, unit_code, officer_id, step_no, step_code, due_at, occurred_at, n)
     WHERE ${APPLIED}
     ORDER BY f.n
    ON CONFLICT DO NOTHING
  ),
  notes AS (
    INSERT INTO notifications (recipient_id, dossier_code, event_seq, kind, message, created_at)
    SELECT n.recipient_id, ${$('code')}::varchar, ${$('seq')}::int, n.kind, n.message, ${$('occurredAt')}::timestamptz
      FROM ROWS FROM (jsonb_to_recordset(${$('notifications')}::jsonb) AS (recipient_id uuid, kind varchar,
             message text)) WITH ORDINALITY AS n(recipient_id, kind, message, i)
     WHERE ${APPLIED}
     ORDER BY n.i
    ON CONFLICT DO NOTHING
  )
  SELECT ${APPLIED} AS applied,
         (SELECT pg_notify('${DOSSIER_CHANGES_CHANNEL}', json_build_object(
            'code', d.code, 'seq', ${$('seq')}::int, 'type', ${$('type')}::text,
            'state', CASE WHEN p.code IS NULL THEN d.state ELSE p.state END,
            'nationalStatus', CASE WHEN p.code IS NULL THEN d.national_status ELSE p.national_status END,
            'currentUnitCode', CASE WHEN p.code IS NULL THEN d.current_unit_code ELSE p.current_unit_code END,
            'holderId', CASE WHEN p.code IS NULL THEN d.holder_id ELSE p.holder_id END,
            'occurredAt', ${$('occurredAt')}::text,
            'units', (SELECT array_agg(DISTINCT u)
                        FROM unnest(array_append(${$('stepUnits')}::text[], d.receiving_unit_code)) u),
            'notified', ${$('notified')}::text[])::text)
            FROM dossiers d LEFT JOIN proj p ON p.code = d.code
           WHERE d.code = ${$('code')}::varchar AND ${APPLIED}) AS announced`;
}

/** Officers an audience names; division heads fall back to the unit head when the unit has none. */
export async function audienceOfficers(manager: EntityManager, audience: Audience): Promise<string[]> {
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

/** Whether naming the transition's recipients reads the organisation (an officer named outright does not). */
export const readsOrganisation = (record: TransitionRecord): boolean =>
  record.event.notifications.some((n) => n.audience.some((a) => a.kind !== 'OFFICER'));

/** Whether the transition may queue a hand-off message (see queueHandoffMessages): a package, a notice, a callback. */
export const mayQueueHandoff = (record: TransitionRecord): boolean =>
  ['SEGMENT_HANDED_OVER', 'SUPPLEMENT_SUBMITTED', 'WITHDRAWN'].includes(record.event.type) ||
  Boolean(record.projection.origin);

/** The notifications of a transition, one per officer its audiences name (the recipients in the order named). */
export async function notificationsOf(
  manager: EntityManager,
  record: TransitionRecord,
): Promise<{ recipient_id: string; kind: string; message: string }[]> {
  const rows: { recipient_id: string; kind: string; message: string }[] = [];
  for (const notification of record.event.notifications) {
    const recipients = new Set<string>();
    for (const audience of notification.audience) {
      for (const id of await audienceOfficers(manager, audience)) {
        recipients.add(id);
      }
    }
    for (const recipient of recipients) {
      rows.push({ recipient_id: recipient, kind: notification.kind, message: notification.message });
    }
  }
  return rows;
}

/**
 * Writes the transition in one statement (see above); `notifications` are its recipients, named beforehand. Returns
 * whether it was new and whom it notified.
 */
export async function writeTransition(
  manager: EntityManager,
  record: TransitionRecord,
  options: {
    judged?: PromiseJudgement;
    notifications: { recipient_id: string; kind: string; message: string }[];
    /** The portal message's INSERT … SELECT, when a portal is configured. */
    queuePortalSync?: string;
  },
): Promise<{ applied: boolean; notified: string[] }> {
  const { event, projection: p } = record;
  const { judged, notifications } = options;
  const step = p.currentStep;
  const held = step ? p.steps.find((st) => st.no === step.no) : undefined;
  const note = typeof event.payload.note === 'string' ? `: ${event.payload.note}` : '';
  const breach = event.facts.find((f) => f.kind === 'DOSSIER_BREACH');
  const notified = notifications.map((n) => n.recipient_id);
  const values: Record<keyof typeof P, unknown> = {
    code: record.dossierCode,
    seq: record.seq,
    type: event.type,
    status: event.nationalStatus,
    actorId: event.actorId ?? null,
    payload: JSON.stringify(event.payload ?? {}),
    occurredAt: event.occurredAt,
    state: p.state,
    outcome: p.outcome,
    stepNo: step?.no ?? null,
    stepCode: step?.code ?? null,
    stepName: step?.name ?? null,
    stepUnit: step?.unit ?? null,
    holderId: step?.holderId ?? null,
    dueAt: p.deadline.dueAt,
    pausedSince: p.deadline.pausedSince,
    pauseReason: p.deadline.pauseReason,
    finishedAt: p.finishedAt,
    timeliness: p.timeliness,
    extended: p.deadline.extended,
    supplementRequests: p.deadline.supplementRequests,
    paid: p.paid,
    deadline: JSON.stringify(p.deadline),
    segments: p.segments ? JSON.stringify(p.segments) : null,
    promisedAt: newAppointment(record),
    judgedTimeliness: judged ? judged.timeliness : p.timeliness,
    breachDueAt: breach?.dueAt ?? null,
    originalDueAt: judged?.originalDueAt ?? null,
    indexDueAt: p.deadline.indexDueAt ?? null,
    // A restart re-arms the dossier's breach; a calendar edit does not (yet), so it leaves the interval open.
    restart: event.type === 'SUPPLEMENT_SUBMITTED',
    steps: JSON.stringify(
      p.steps.map((s) => ({
        no: s.no,
        code: s.code,
        name: s.name,
        unit_code: s.unit,
        role: s.role,
        counted: s.counted,
        holder_id: s.holderId,
        holder_name: s.holderName,
        started_at: s.startedAt,
        budget_ms: s.clock?.budgetMs ?? null,
        due_at: s.dueAt,
        completed_at: s.completedAt,
        result: s.result,
        exit: s.exit,
        handed_to: s.handedTo,
        note: s.note,
      })),
    ),
    facts: JSON.stringify(
      event.facts.map((f) => ({
        kind: f.kind,
        unit_code: f.unitCode,
        officer_id: f.officerId,
        step_no: f.stepNo,
        step_code: f.stepCode,
        due_at: f.dueAt,
        occurred_at: f.occurredAt,
      })),
    ),
    notifications: JSON.stringify(notifications),
    stepUnits: p.steps.map((st) => st.unit),
    notified,
    content: `${event.type}${step ? ` — ${step.name}` : ''}${note}`,
    stepStart: held?.startedAt ?? null,
    legalEnd: held?.dueAt ?? p.deadline.dueAt,
  };
  // The last three are the portal message's own: without a portal the statement has no place for them.
  const params = (Object.keys(P) as (keyof typeof P)[])
    .sort((a, b) => P[a] - P[b])
    .map((k) => values[k])
    .slice(0, options.queuePortalSync ? undefined : P.content - 1);
  const [row]: { applied: boolean }[] = await manager.query(transitionSql(options.queuePortalSync), params);
  return { applied: row.applied, notified: row.applied ? notified : [] };
}
