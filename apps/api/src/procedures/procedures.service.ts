import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../../../libs/config/src';
import { localDateOf } from '../../../../libs/calendar/src';
import {
  DomainErrorCode,
  DomainException,
  formatLocalDate,
  type ProcedureCase,
  type ProcedureDefinition,
  validateProcedure,
} from '../../../../libs/domain/src';
import {
  OrganisationStore,
  ProcedureStore,
  type StoredProcedure,
  type VersionInForce,
} from '../../../../libs/persistence/src';

@Injectable()
export class ProceduresService {
  constructor(
    private readonly store: ProcedureStore,
    private readonly organisation: OrganisationStore,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  today(): string {
    return formatLocalDate(localDateOf(new Date(), this.config.TIME_ZONE));
  }

  async list(): Promise<(StoredProcedure & { currentVersion: number | null })[]> {
    const today = this.today();
    return (await this.store.list()).map((p) => ({ ...p, currentVersion: currentOf(p, today) }));
  }

  async get(
    code: string,
    options: { version?: number; on?: string },
  ): Promise<{ procedure: StoredProcedure; version: VersionInForce | null }> {
    const procedure = await this.store.find(code);
    if (!procedure) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `No procedure has the code ${code}.`);
    }
    const version =
      options.version !== undefined
        ? await this.store.version(code, options.version)
        : await this.store.inForce(code, options.on ?? this.today());
    if (options.version !== undefined && !version) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `Procedure ${code} has no version ${options.version}.`);
    }
    return { procedure, version };
  }

  async publish(
    definition: ProcedureDefinition,
    publishedBy: string,
  ): Promise<{ code: string; versionNo: number; replaced: boolean }> {
    const units = new Set(await this.organisation.unitCodes());
    const errors = validateProcedure(definition, units);
    if (errors.length > 0) {
      // The body is any JSON: its code is quoted only when it is text (an object's toString may throw).
      const named = typeof definition?.code === 'string' ? `Procedure ${definition.code}` : 'The procedure';
      throw new DomainException(
        DomainErrorCode.VALIDATION_FAILED,
        `${named} is invalid: ${errors.length} problem(s), each named below.`,
        errors,
      );
    }
    const { versionNo, replaced } = await this.store.publish(definition, publishedBy);
    return { code: definition.code, versionNo, replaced };
  }

  /** The version and case a dossier received at `receivedAt` falls under; a clear 422 otherwise. */
  async forIntake(
    code: string,
    caseCode: string | undefined,
    receivedAt: Date,
  ): Promise<{ version: VersionInForce; caseCode: string; procedure: ProcedureCase }> {
    const day = formatLocalDate(localDateOf(receivedAt, this.config.TIME_ZONE));
    const version = await this.store.inForce(code, day);
    if (!version) {
      throw new DomainException(
        DomainErrorCode.VALIDATION_FAILED,
        `Procedure ${code} has no version in force on ${day}.`,
        [{ field: 'procedureCode', message: `must be a procedure of the catalog in force on ${day}` }],
      );
    }
    const cases = version.definition.cases;
    const chosen = caseCode ? cases.find((c) => c.code === caseCode) : cases.length === 1 ? cases[0] : undefined;
    if (!chosen) {
      throw new DomainException(
        DomainErrorCode.VALIDATION_FAILED,
        `Procedure ${code} has the cases ${cases.map((c) => c.code).join(', ')}; name one of them.`,
        [{ field: 'caseCode', message: `must be one of ${cases.map((c) => c.code).join(', ')}` }],
      );
    }
    return { version, caseCode: chosen.code, procedure: chosen };
  }
}

function currentOf(p: StoredProcedure, today: string): number | null {
  const inForce = p.versions
    .filter((v) => v.effectiveFrom <= today)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
  return inForce[0]?.versionNo ?? null;
}
