import { type DataSource, type EntityManager } from 'typeorm';
import {
  type HandoffCallbackKind,
  type PayloadOf,
  type TransitionEvent,
  type TransitionEventOf,
  type TransitionRecord,
} from '../../../domain/src';

/** Outbox kind of a segment handed to a partner's system; its payload is the dossier package. */
export const HANDOFF = 'HANDOFF';
/** Outbox kind of an answer to the partner that handed a segment to us. */
export const HANDOFF_CALLBACK = 'HANDOFF_CALLBACK';
/** Outbox kind of news for the partner that has a segment of ours: the supplement arrived, the applicant withdrew. */
export const HANDOFF_NOTICE = 'HANDOFF_NOTICE';

/** What the partner holding a segment of ours is told about the dossier while it has it. */
export type HandoffNoticeKind = 'SUPPLEMENT_SUBMITTED' | 'WITHDRAWN';

/** What a partner's system receives: the dossier, its results so far and the share of the deadline it owns. */
export interface HandoffPackage {
  handoffId: string;
  partner: string;
  originDossierCode: string;
  procedureCode: string;
  caseCode: string;
  segment: { code: string; name: string; agency: string; budget: { amount: number; unit: string } };
  handedOverAt: string;
  dueAt: string | null;
  receivedAt: string;
  channel: string;
  applicant: { type: string; idNumber: string; name: string; address?: string; phone?: string; email?: string };
  documents: { code: string; count: number }[];
  /** The steps already done by the agencies before it, as the control sheet has them. */
  results: {
    code: string;
    name: string;
    unit: string;
    completedAt: string | null;
    by: string | null;
    note: string | null;
  }[];
}

/** An answer to the partner that handed a segment to us, built with the transition that causes it. */
export interface HandoffCallbackMessage {
  handoffId: string;
  partner: string;
  callbackId: string;
  kind: HandoffCallbackKind;
  reportedAt: string;
  partnerDossierCode: string;
  items?: string[];
  note?: string;
  reasons?: string[];
  result?: Record<string, unknown>;
}

/**
 * Queues, in the transaction of a transition, what a hand-off needs: the package when a segment goes to a partner's
 * system, and the answer when a dossier a partner handed to us is accepted, needs a supplement, or is decided.
 */
export async function queueHandoffMessages(manager: EntityManager, record: TransitionRecord): Promise<void> {
  const { event } = record;
  if (event.type === 'SEGMENT_HANDED_OVER') {
    if (typeof event.payload.partner === 'string') {
      await queueHandoffPackage(manager, record, { ...event.payload, partner: event.payload.partner });
    }
    return;
  }
  if (event.type === 'SUPPLEMENT_SUBMITTED' || event.type === 'WITHDRAWN') {
    await queueHandoffNotice(manager, record, event);
    return;
  }
  await queueHandoffCallback(manager, record);
}

/** The package for a partner's system a segment was just handed to, with the hand-off it opens. */
async function queueHandoffPackage(
  manager: EntityManager,
  record: TransitionRecord,
  handedOver: PayloadOf<'SEGMENT_HANDED_OVER'> & { partner: string },
): Promise<void> {
  const { event, projection: p } = record;
  const [d] = await manager.query<HandoffDossierRow[]>(
    `SELECT procedure_code, case_code, channel, applicant_type, applicant_id_number, applicant_name,
            applicant_contact, documents, received_at
       FROM dossiers WHERE code = $1`,
    [record.dossierCode],
  );
  const pkg: HandoffPackage = {
    handoffId: String(handedOver.handoffId),
    partner: handedOver.partner,
    originDossierCode: record.dossierCode,
    procedureCode: d.procedure_code,
    caseCode: String(d.case_code),
    segment: {
      code: handedOver.segment,
      name: handedOver.name,
      agency: handedOver.agency,
      budget: handedOver.budget,
    },
    handedOverAt: handedOver.handedOverAt,
    dueAt: handedOver.dueAt ?? null,
    receivedAt: d.received_at.toISOString(),
    channel: d.channel,
    applicant: {
      type: d.applicant_type,
      idNumber: d.applicant_id_number,
      name: d.applicant_name,
      ...(d.applicant_contact ?? {}),
    },
    documents: d.documents.map((doc) => ({ code: doc.code, count: doc.count })),
    results: p.steps
      .filter((s) => s.completedAt !== null)
      .map((s) => ({
        code: s.code,
        name: s.name,
        unit: s.unit,
        completedAt: s.completedAt,
        by: s.holderName,
        note: s.note,
      })),
  };
  await manager.query(
    `WITH h AS (
       INSERT INTO handoffs (id, direction, partner_id, dossier_code, segment_code, state, created_at, updated_at)
       VALUES ($1, 'OUT', $2, $3, $4, 'SENT', $5, $5) ON CONFLICT DO NOTHING RETURNING id)
     INSERT INTO outbox_messages (kind, aggregate_key, payload, created_at, available_at)
     SELECT '${HANDOFF}', 'handoff:' || $3, $6::jsonb, $5, $5 FROM h`,
    [pkg.handoffId, pkg.partner, record.dossierCode, pkg.segment.code, event.occurredAt, JSON.stringify(pkg)],
  );
}

/** The dossier row a hand-off package is built from. */
interface HandoffDossierRow {
  procedure_code: string;
  case_code: string | null;
  channel: string;
  applicant_type: string;
  applicant_id_number: string;
  applicant_name: string;
  applicant_contact: { address?: string; phone?: string; email?: string } | null;
  documents: { code: string; count: number }[];
  received_at: Date;
}

/** The desk took in the applicant's supplement, or the applicant withdrew, while a partner has the dossier. */
async function queueHandoffNotice(
  manager: EntityManager,
  record: TransitionRecord,
  event: TransitionEventOf<'SUPPLEMENT_SUBMITTED' | 'WITHDRAWN'>,
): Promise<void> {
  const p = record.projection;
  // The segment the partner has: still open, or the one the withdrawal just ended (marked WITHDRAWN).
  const open = (p.segments ?? []).find(
    (s) =>
      s.partner && s.handoffId && (s.completedAt === null || (event.type === 'WITHDRAWN' && s.outcome === 'WITHDRAWN')),
  );
  if (!open) {
    return;
  }
  const message = {
    partner: open.partner,
    handoffId: open.handoffId,
    noticeId: `${record.dossierCode}:${record.seq}`,
    kind: event.type satisfies HandoffNoticeKind,
    at: event.occurredAt,
    ...(typeof event.payload.note === 'string' ? { note: event.payload.note } : {}),
    ...(typeof event.payload.reason === 'string' ? { reason: event.payload.reason } : {}),
  };
  await manager.query(
    `INSERT INTO outbox_messages (kind, aggregate_key, payload, created_at, available_at)
     VALUES ('${HANDOFF_NOTICE}', 'handoff:' || $1, $2::jsonb, $3, $3)`,
    [record.dossierCode, JSON.stringify(message), event.occurredAt],
  );
}

/** The answer to the partner that handed this dossier to us, when it is accepted, needs a supplement, or is decided. */
async function queueHandoffCallback(manager: EntityManager, record: TransitionRecord): Promise<void> {
  const { event, projection: p } = record;
  const answer = callbackOf(event, p);
  if (!answer || !p.origin) {
    return;
  }
  await manager.query(
    `INSERT INTO outbox_messages (kind, aggregate_key, payload, created_at, available_at)
     VALUES ('${HANDOFF_CALLBACK}', 'handoff:' || $1, $2::jsonb, $3, $3)`,
    [
      record.dossierCode,
      JSON.stringify({
        callbackId: `${record.dossierCode}:${record.seq}`,
        kind: answer.kind,
        reportedAt: event.occurredAt,
        partnerDossierCode: record.dossierCode,
        ...answer.details,
        handoffId: p.origin.handoffId,
        partner: p.origin.partner,
      }),
      event.occurredAt,
    ],
  );
}

/** The transitions a partner hears about, and what it is told of each. */
function callbackOf(
  event: TransitionEvent,
  p: TransitionRecord['projection'],
): {
  kind: HandoffCallbackKind;
  details: Pick<HandoffCallbackMessage, 'items' | 'note' | 'reasons' | 'result'>;
} | null {
  if (event.type === 'PROCESSING_STARTED') {
    return { kind: 'ACCEPTED', details: {} };
  }
  if (event.type === 'SUPPLEMENT_REQUESTED') {
    return { kind: 'SUPPLEMENT_REQUESTED', details: { items: event.payload.items, note: event.payload.reason } };
  }
  if (event.type === 'REFUSED') {
    return { kind: 'REFUSED', details: { reasons: event.payload.reasons } };
  }
  if (event.type !== 'PROCESSED') {
    return null;
  }
  const done = p.steps.filter((s) => s.completedAt !== null);
  return {
    kind: 'RESULT',
    details: {
      note: done.at(-1)?.note ?? undefined,
      result: {
        outcome: p.outcome,
        timeliness: p.timeliness,
        finishedAt: p.finishedAt,
        steps: done.map((s) => ({
          code: s.code,
          name: s.name,
          by: s.holderName,
          completedAt: s.completedAt,
          result: s.result,
          note: s.note,
        })),
      },
    },
  };
}

/** Port for the hand-offs this deployment sent and received, and the partner callbacks it took in. */
export abstract class HandoffStore {
  /** A hand-off we sent: its dossier, when the partner that has it is `partner`. */
  abstract sent(id: string, partner: string): Promise<{ dossierCode: string; segmentCode: string } | null>;
  /** A hand-off a partner sent us: the dossier it became, if it was received already. */
  abstract received(id: string, partner: string): Promise<string | null>;
  /** The dossier's state when it is over (result returned, withdrawn, closed): a late answer about it is moot. */
  abstract ended(dossierCode: string): Promise<string | null>;
  /** Whether a partner's callback was already taken in (a retry of it changes nothing). */
  abstract callbackTaken(handoffId: string, callbackId: string): Promise<boolean>;
  /** Records a callback the dossier workflow took in, and the hand-off's state after it. */
  abstract takeCallback(handoffId: string, callbackId: string, kind: HandoffCallbackKind): Promise<void>;
  /**
   * Records a signed request's nonce: true the first time, false when the partner (or someone replaying it) sent it
   * already. Kept until `forgetAt`, when the request's timestamp is out of the replay window anyway.
   */
  abstract takeNonce(partner: string, nonce: string, forgetAt: Date): Promise<boolean>;
}

export class TypeOrmHandoffStore extends HandoffStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async sent(id: string, partner: string): Promise<{ dossierCode: string; segmentCode: string } | null> {
    const [row] = await this.dataSource.query<{ dossier_code: string; segment_code: string }[]>(
      `SELECT dossier_code, segment_code FROM handoffs WHERE direction = 'OUT' AND id = $1 AND partner_id = $2`,
      [id, partner],
    );
    return row ? { dossierCode: row.dossier_code, segmentCode: row.segment_code } : null;
  }

  async received(id: string, partner: string): Promise<string | null> {
    const [row] = await this.dataSource.query<{ dossier_code: string }[]>(
      `SELECT dossier_code FROM handoffs WHERE direction = 'IN' AND id = $1 AND partner_id = $2`,
      [id, partner],
    );
    return row?.dossier_code ?? null;
  }

  async ended(dossierCode: string): Promise<string | null> {
    const [row] = await this.dataSource.query<{ state: string }[]>(
      `SELECT state FROM dossiers WHERE code = $1 AND state IN ('RESULT_RETURNED', 'WITHDRAWN', 'CLOSED')`,
      [dossierCode],
    );
    return row?.state ?? null;
  }

  async callbackTaken(handoffId: string, callbackId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM handoff_callbacks WHERE handoff_id = $1 AND callback_id = $2`,
      [handoffId, callbackId],
    );
    return rows.length > 0;
  }

  async takeCallback(handoffId: string, callbackId: string, kind: HandoffCallbackKind): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO handoff_callbacks (handoff_id, callback_id, kind) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [handoffId, callbackId, kind],
      );
      await manager.query(`UPDATE handoffs SET state = $2, updated_at = now() WHERE direction = 'OUT' AND id = $1`, [
        handoffId,
        kind,
      ]);
    });
  }

  async takeNonce(partner: string, nonce: string, forgetAt: Date): Promise<boolean> {
    await this.dataSource.query(`DELETE FROM handoff_nonces WHERE forget_at < now()`);
    const taken = await this.dataSource.query<unknown[]>(
      `INSERT INTO handoff_nonces (partner_id, nonce, forget_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [partner, nonce, forgetAt],
    );
    return taken.length === 1;
  }
}
