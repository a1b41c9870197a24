import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import {
  DomainErrorCode,
  DomainException,
  NATIONAL_STATUS_LABELS,
  type NationalStatus,
} from '../../../../libs/domain/src';
import { DossierStore, ProcedureStore } from '../../../../libs/persistence/src';
import { CalendarService } from '../calendar/calendar.service';
import { statusMessage } from '../dossiers/dossier.mapper';
import { OrganisationService } from '../organisation/organisation.service';
import { type PublicDossierStatus } from './public-lookup.dto';

const pinMatches = (expected: string | null, given: string): boolean =>
  expected !== null && expected.length === given.length && timingSafeEqual(Buffer.from(expected), Buffer.from(given));

@Injectable()
export class PublicLookupService {
  constructor(
    private readonly dossiers: DossierStore,
    private readonly procedures: ProcedureStore,
    private readonly calendars: CalendarService,
    private readonly organisation: OrganisationService,
  ) {}

  /** An unknown code and a wrong PIN get the same answer, so the lookup does not confirm which codes exist. */
  async status(code: string, pin: string): Promise<PublicDossierStatus> {
    const d = await this.dossiers.findByCode(code);
    if (!d || !pinMatches(d.lookupPin, pin)) {
      throw new DomainException(
        DomainErrorCode.NOT_FOUND,
        'No dossier matches this code and PIN; check both on the receipt (phiếu tiếp nhận và hẹn trả kết quả).',
      );
    }
    const [scoped, [unit], names] = await Promise.all([
      this.calendars.forScope(d.receivingUnitCode),
      this.organisation.units([d.receivingUnitCode]),
      this.procedures.names([d.procedureCode]),
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
    };
  }
}
