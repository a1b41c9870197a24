import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../../libs/config/src';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import {
  hashLookupPin,
  lookupPinKey,
  lookupPinMatches,
  newLookupPin,
  PublicLookupStore,
} from '../../../../libs/persistence/src';
import { type Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { handsOutPins } from './dossier.mapper';
import { DossiersService } from './dossiers.service';
import { buildReceipt, type FormDocument } from './forms/dossier-forms';
import { renderFormPdf } from './forms/pdf-renderer';

/**
 * The citizen's lookup PIN at the desk: a new one when the citizen lost it or the lookup locked after wrong PINs, and
 * the receipt printed with the PIN the clerk holds (the database keeps only its hash, so it cannot print it alone).
 */
@Injectable()
export class LookupPinService {
  private readonly logger = new Logger(LookupPinService.name);
  private readonly pinKey: Buffer;

  constructor(
    private readonly dossiers: DossiersService,
    private readonly pins: PublicLookupStore,
    private readonly calendars: CalendarService,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.pinKey = lookupPinKey(config);
  }

  /** A new PIN, shown once: the old one stops working, the wrong-PIN count is cleared and the lookup unlocked. */
  async reissue(principal: Principal, code: string): Promise<{ code: string; pin: string; issuedAt: string }> {
    await this.assertDesk(principal, code);
    const pin = newLookupPin();
    await this.pins.reissuePin(code, hashLookupPin(pin, this.pinKey));
    this.logger.log({ dossier: code, officer: principal.username }, 'lookup PIN reissued');
    return { code, pin, issuedAt: new Date().toISOString() };
  }

  /** Form 01 with the PIN on it, when `pin` is the dossier's current one. */
  async receipt(principal: Principal, code: string, pin: string): Promise<FormDocument> {
    return (await this.receiptWithIssuer(principal, code, pin)).doc;
  }

  async receiptPdf(principal: Principal, code: string, pin: string): Promise<Buffer> {
    const { doc, issuer } = await this.receiptWithIssuer(principal, code, pin);
    return renderFormPdf(doc, issuer);
  }

  private async receiptWithIssuer(principal: Principal, code: string, pin: string) {
    const detail = await this.assertDesk(principal, code);
    if (!(await lookupPinMatches(await this.pins.pinHash(code), pin, this.pinKey))) {
      throw new DomainException(DomainErrorCode.VALIDATION_FAILED, `That is not the current PIN of dossier ${code}.`, [
        { field: 'pin', message: "must be the dossier's current lookup PIN (issued at intake or reissued since)" },
      ]);
    }
    const unit = detail.dossier.receivingUnitCode;
    const { calendar } = await this.calendars.forScope(unit);
    return {
      doc: buildReceipt(detail, principal, calendar, undefined, pin),
      issuer: detail.unitNames.get(unit) ?? unit,
    };
  }

  /** The desk of the receiving unit (or an admin) hands PINs to citizens; others do not see them. */
  private async assertDesk(principal: Principal, code: string) {
    const detail = await this.dossiers.visibleDetail(principal, code);
    const unit = detail.dossier.receivingUnitCode;
    if (!handsOutPins(principal, unit)) {
      throw new DomainException(
        DomainErrorCode.FORBIDDEN,
        `${principal.username} does not hand out lookup PINs for dossiers received at ${unit}: the desk there does.`,
      );
    }
    return detail;
  }
}
