import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../../../libs/config/src';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { DossierQueryStore } from '../../../../libs/persistence/src';
import { type Principal, type Role } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { OrganisationService } from '../organisation/organisation.service';
import { vnTime } from './forms/dossier-forms';
import { renderFormPdf } from './forms/pdf-renderer';

const DELIVERY: Record<string, string> = { IN_PERSON: 'Trực tiếp', POSTAL: 'Bưu chính', ELECTRONIC: 'Trực tuyến' };

/**
 * Who keeps or checks the register: the desk's clerks, the heads of units, and the inspectors. It lists every
 * applicant's name, address and phone, which specialists, agency systems and the system's admin have no need of.
 */
export const REGISTER_ROLES: readonly Role[] = ['DESK_CLERK', 'UNIT_HEAD', 'AUDITOR'];

/** The longest period one request may list (a month of the desk's book): no bulk export of the applicants. */
export const REGISTER_MAX_DAYS = 31;

const DAY_MS = 86_400_000;

/** Sổ theo dõi hồ sơ (form 07): every dossier a unit received in a period, as data or as its PDF. */
@Injectable()
export class RegisterService {
  constructor(
    private readonly queries: DossierQueryStore,
    private readonly organisation: OrganisationService,
    private readonly calendars: CalendarService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** The register of a unit the caller may see; with `pdf`, the printed form instead of the data. */
  async register(
    principal: Principal,
    query: { unit: string; from: string; to: string },
    pdf: boolean,
  ): Promise<{ body: unknown } | { pdf: Buffer }> {
    if (query.to < query.from) {
      throw new DomainException(DomainErrorCode.VALIDATION_FAILED, 'The period ends before it starts.', [
        { field: 'to', message: 'must not be before from' },
      ]);
    }
    const days = (Date.parse(`${query.to}T00:00:00Z`) - Date.parse(`${query.from}T00:00:00Z`)) / DAY_MS + 1;
    if (!(days <= REGISTER_MAX_DAYS)) {
      throw new DomainException(
        DomainErrorCode.VALIDATION_FAILED,
        `The register lists at most ${REGISTER_MAX_DAYS} days at a time.`,
        [{ field: 'to', message: `must be at most ${REGISTER_MAX_DAYS - 1} days after from` }],
      );
    }
    await this.organisation.assertCanSee(principal, query.unit, 'read the register of');
    const rows = await this.queries.register(query.unit, query.from, query.to, this.config.TIME_ZONE);
    const { calendar } = await this.calendars.forScope(query.unit);
    const entries = rows.map((r, i) => ({
      no: i + 1,
      code: r.code,
      procedure: r.procedure_name ?? r.procedure_code,
      applicant: r.applicant_name,
      addressPhone: [r.applicant_contact.address, r.applicant_contact.phone].filter(Boolean).join(' — '),
      resolvingAgency: r.agency_name,
      receivedAt: r.received_at.toISOString(),
      dueAt: r.promised_at?.toISOString() ?? null,
      returnedAt: r.result_returned_at?.toISOString() ?? null,
      deliveryMethod: r.delivery,
    }));
    const unit = await this.organisation.unit(query.unit);
    const body = {
      form: '07',
      title: 'SỔ THEO DÕI HỒ SƠ',
      ...query,
      unit: { code: unit.code, name: unit.name },
      entries,
    };
    if (!pdf) {
      return { body };
    }
    const printed = await renderFormPdf(
      {
        form: '07',
        number: `${query.unit}/${query.from}–${query.to}`,
        title: body.title,
        dossierCode: '',
        data: body,
        print: {
          fields: [
            ['Đơn vị', unit.name],
            ['Từ ngày', query.from],
            ['Đến ngày', query.to],
          ],
          table: {
            columns: ['STT', 'Mã hồ sơ', 'Thủ tục', 'Người nộp', 'Nhận', 'Hẹn trả', 'Trả', 'Hình thức'],
            rows: entries.map((e) => [
              String(e.no),
              e.code,
              e.procedure,
              `${e.applicant}${e.addressPhone ? `\n${e.addressPhone}` : ''}`,
              vnTime(calendar, e.receivedAt),
              vnTime(calendar, e.dueAt),
              vnTime(calendar, e.returnedAt),
              e.deliveryMethod ? (DELIVERY[e.deliveryMethod] ?? e.deliveryMethod) : '',
            ]),
          },
        },
      },
      unit.name,
    );
    return { pdf: printed };
  }
}
