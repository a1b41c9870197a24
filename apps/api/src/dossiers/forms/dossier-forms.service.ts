import { Injectable } from '@nestjs/common';
import { type Principal } from '../../auth/principal';
import { CalendarService } from '../../calendar/calendar.service';
import { DossiersService } from '../dossiers.service';
import { buildForm, type FormDocument, type FormName } from './dossier-forms';
import { renderFormPdf } from './pdf-renderer';

@Injectable()
export class DossierFormsService {
  constructor(
    private readonly dossiers: DossiersService,
    private readonly calendars: CalendarService,
  ) {}

  async json(principal: Principal, code: string, form: FormName): Promise<FormDocument> {
    const detail = await this.dossiers.visibleDetail(principal, code);
    const { calendar } = await this.calendars.forScope(detail.dossier.receivingUnitCode);
    return buildForm(form, detail, principal, calendar);
  }

  async pdf(principal: Principal, code: string, form: FormName): Promise<Buffer> {
    const detail = await this.dossiers.visibleDetail(principal, code);
    const { calendar } = await this.calendars.forScope(detail.dossier.receivingUnitCode);
    const doc = buildForm(form, detail, principal, calendar);
    const issuer = detail.unitNames.get(detail.dossier.receivingUnitCode) ?? detail.dossier.receivingUnitCode;
    return renderFormPdf(doc, issuer);
  }
}
