import { type DataSource, type EntityManager } from 'typeorm';
import {
  DomainErrorCode,
  DomainException,
  formatDossierCode,
  formatLocalDate,
  type LocalDate,
  NationalStatus,
} from '../../../domain/src';
import { DossierEntity, DossierEventEntity, OutboxMessageEntity, UnitEntity } from '../entities';
import { claimIdempotencyKey, completeIdempotencyKey } from './idempotency';

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
  receivedBy: string;
  /** What the relay hands to Temporal once the transaction commits. */
  outbox: { kind: string; payload: Record<string, unknown> };
  idempotency?: { scope: string; key: string; requestHash: string };
}

export interface ReceiveDossierResult {
  dossier: DossierEntity;
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

/** Port for dossier persistence; bound to the TypeORM implementation below. */
export abstract class DossierStore {
  abstract receive(command: ReceiveDossierCommand): Promise<ReceiveDossierResult>;
  abstract findByCode(code: string): Promise<DossierEntity | null>;
  abstract listEvents(code: string): Promise<DossierEventEntity[]>;
  /** Writes an event and its projection once; a retry with the same (code, seq) changes nothing. */
  abstract recordEvent(event: DossierEventRecord): Promise<{ applied: boolean }>;
}

export class TypeOrmDossierStore extends DossierStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async receive(command: ReceiveDossierCommand): Promise<ReceiveDossierResult> {
    return this.dataSource.transaction(async (manager) => {
      const idem = command.idempotency;
      if (idem) {
        const claim = await claimIdempotencyKey(manager, idem.scope, idem.key, idem.requestHash);
        if (claim.kind === 'replay') {
          const dossier = await manager.findOneByOrFail(DossierEntity, { code: String(claim.body.code) });
          return { dossier, replayed: true };
        }
      }
      const unit = await manager.findOneBy(UnitEntity, { code: command.receivingUnitCode });
      if (!unit) {
        throw new DomainException(
          DomainErrorCode.VALIDATION_FAILED,
          `Unknown receiving unit ${command.receivingUnitCode}.`,
          [{ field: 'receivingUnitCode', message: 'must be the e-document code of a unit in the organisation' }],
        );
      }
      const sequence = await this.nextSequence(manager, command.receivingUnitCode, formatLocalDate(command.receiptDay));
      const code = formatDossierCode(command.receivingUnitCode, command.receiptDay, sequence);
      const dossier = manager.create(DossierEntity, {
        code,
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
      });
      await manager.insert(DossierEntity, dossier);
      await manager.insert(DossierEventEntity, {
        dossierCode: code,
        seq: 0,
        type: 'RECEIVED',
        nationalStatus: NationalStatus.RECEIVED,
        actorId: command.receivedBy,
        payload: { channel: command.channel },
        occurredAt: command.receivedAt,
        recordedAt: command.receivedAt,
      });
      await manager.insert(OutboxMessageEntity, {
        kind: command.outbox.kind,
        aggregateKey: code,
        payload: { ...command.outbox.payload, dossierCode: code },
        createdAt: command.receivedAt,
        availableAt: command.receivedAt,
      });
      if (idem) {
        await completeIdempotencyKey(manager, idem.scope, idem.key, 201, { code });
      }
      return { dossier, replayed: false };
    });
  }

  /** The row lock on (unit, day) serialises concurrent intakes: no gaps, no repeats, restart-safe. */
  private async nextSequence(manager: EntityManager, unitCode: string, day: string): Promise<number> {
    const [row] = await manager.query<{ last_value: number }[]>(
      `INSERT INTO dossier_code_sequences (unit_code, day, last_value) VALUES ($1, $2, 1)
       ON CONFLICT (unit_code, day) DO UPDATE SET last_value = dossier_code_sequences.last_value + 1
       RETURNING last_value`,
      [unitCode, day],
    );
    return row.last_value;
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
      const inserted: unknown[] = await manager.query(
        `INSERT INTO dossier_events (dossier_code, seq, type, national_status, actor_id, payload, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dossier_code, seq) DO NOTHING RETURNING seq`,
        [
          event.dossierCode,
          event.seq,
          event.type,
          event.nationalStatus,
          event.actorId ?? null,
          JSON.stringify(event.payload ?? {}),
          event.occurredAt,
        ],
      );
      if (inserted.length === 0) {
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
}
