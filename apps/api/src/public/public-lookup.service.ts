import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../../../libs/config/src';
import {
  DomainErrorCode,
  DomainException,
  NATIONAL_STATUS_LABELS,
  type NationalStatus,
} from '../../../../libs/domain/src';
import {
  type DossierEntity,
  DossierStore,
  FileStore,
  lookupPinKey,
  lookupPinMatches,
  ProcedureStore,
  PublicLookupStore,
} from '../../../../libs/persistence/src';
import { CalendarService } from '../calendar/calendar.service';
import { statusMessage } from '../dossiers/dossier.mapper';
import { OrganisationService } from '../organisation/organisation.service';
import { type PublicDossierStatus } from './public-lookup.dto';

const NO_MATCH =
  'No dossier matches this code and PIN; check both on the receipt (phiếu tiếp nhận và hẹn trả kết quả).';
const LOCKED =
  'The lookup of this dossier is locked after too many wrong PINs. The desk that received it (bộ phận tiếp nhận và trả kết quả) can issue a new PIN.';

@Injectable()
export class PublicLookupService {
  /** The key lookup PINs are hashed with (LOOKUP_PIN_KEY, or derived from JWT_SECRET in embedded mode). */
  private readonly pinKey: Buffer;

  constructor(
    private readonly dossiers: DossierStore,
    private readonly pins: PublicLookupStore,
    private readonly procedures: ProcedureStore,
    private readonly calendars: CalendarService,
    private readonly organisation: OrganisationService,
    private readonly files: FileStore,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.pinKey = lookupPinKey(config);
  }

  /**
   * The citizen's proof of holding the receipt, for the lookup and for what else the public does with a dossier (a
   * rating, binding a petition). An unknown code and a wrong PIN get the same answer (and cost the same hashing), so the lookup does not confirm
   * which codes exist. Every attempt is counted on the dossier before its PIN is checked; after
   * PUBLIC_LOOKUP_WRONG_PINS_BEFORE_LOCK wrong ones the lookup is locked, the right PIN included, until the desk
   * issues a new PIN.
   */
  async checkPin(code: string, pin: string): Promise<void> {
    const limit = this.config.PUBLIC_LOOKUP_WRONG_PINS_BEFORE_LOCK;
    const attempt = await this.pins.beginAttempt(code, limit);
    if (attempt.kind === 'locked') {
      throw new DomainException(DomainErrorCode.INVALID_STATE, LOCKED, [], { reason: 'LOOKUP_LOCKED' });
    }
    const right = await lookupPinMatches(attempt.kind === 'counted' ? attempt.pinHash : null, pin, this.pinKey);
    if (attempt.kind === 'unknown' || !right) {
      if (attempt.kind === 'counted') {
        await this.pins.wrongPin(code, limit);
      }
      throw new DomainException(DomainErrorCode.NOT_FOUND, NO_MATCH);
    }
    await this.pins.rightPin(code);
  }

  /** The dossier whose code and PIN these are, counted and locked as `checkPin` says; 404 otherwise. */
  async verifiedDossier(code: string, pin: string): Promise<DossierEntity> {
    await this.checkPin(code, pin);
    const d = await this.dossiers.findByCode(code);
    if (!d) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, NO_MATCH);
    }
    return d;
  }

  /** Where the dossier stands, for the holder of its receipt (code and PIN), with the result's files they may download. */
  async status(code: string, pin: string): Promise<PublicDossierStatus> {
    return this.statusOf(await this.verifiedDossier(code, pin));
  }

  private async statusOf(d: DossierEntity): Promise<PublicDossierStatus> {
    const [scoped, [unit], names, files] = await Promise.all([
      this.calendars.forScope(d.receivingUnitCode),
      this.organisation.units([d.receivingUnitCode]),
      this.procedures.names([d.procedureCode]),
      this.files.citizenResults(d.code),
    ]);
    const iso = (x: Date | null): string | null => x?.toISOString() ?? null;
    return {
      code: d.code,
      procedure: { code: d.procedureCode, name: names.get(d.procedureCode) ?? d.procedureCode },
      receivingUnitName: unit?.name ?? d.receivingUnitCode,
      receivedAt: d.receivedAt.toISOString(),
      promisedAt: iso(d.promisedAt),
      dueAt: iso(d.dueAt),
      state: d.state,
      nationalStatus: d.nationalStatus,
      nationalStatusLabel: NATIONAL_STATUS_LABELS[d.nationalStatus as NationalStatus],
      statusMessage: statusMessage(d, scoped),
      extended: d.extended,
      finishedAt: iso(d.finishedAt),
      resultReturnedAt: iso(d.resultReturnedAt),
      resultFiles: files.map((f) => ({
        id: f.id,
        fileName: f.fileName,
        contentType: f.contentType,
        sizeBytes: f.sizeBytes,
      })),
    };
  }
}
