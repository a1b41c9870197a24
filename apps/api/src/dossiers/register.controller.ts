import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../../libs/config/src';
import { DomainErrorCode, DomainException, UNIT_CODE_PATTERN } from '../../../../libs/domain/src';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { type Principal } from '../auth/principal';
import { ApiJsonOrPdf } from '../common/api-json-or-pdf.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { CalendarService } from '../calendar/calendar.service';
import { OrganisationService } from '../organisation/organisation.service';
import { vnTime } from './forms/dossier-forms';
import { renderFormPdf } from './forms/pdf-renderer';
import { RegisterView } from './register.view';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DELIVERY: Record<string, string> = { IN_PERSON: 'Trực tiếp', POSTAL: 'Bưu chính', ELECTRONIC: 'Trực tuyến' };

export class RegisterQuery {
  @ApiProperty({ example: '000.00.20.H36', description: 'The receiving unit' })
  @Matches(UNIT_CODE_PATTERN, { message: 'unit must be an e-document code like 000.00.20.H36' })
  unit!: string;

  @ApiProperty({ example: '2026-03-01', description: 'First day (local)' })
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD (local)' })
  from!: string;

  @ApiProperty({ example: '2026-03-31', description: 'Last day, inclusive (local)' })
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD (local, inclusive)' })
  to!: string;
}

/** Sổ theo dõi hồ sơ (form 07): every dossier a unit received in a period. */
@ApiTags('dossiers')
@ApiBearerAuth()
@ApiProblems(401)
@Controller({ path: 'register', version: '1' })
export class RegisterController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organisation: OrganisationService,
    private readonly calendars: CalendarService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The dossier register of a unit (form 07), JSON or PDF with `Accept: application/pdf`' })
  @ApiJsonOrPdf(RegisterView, 'The register as data, or its PDF')
  @ApiProblems(403, 404, 422)
  async register(
    @CurrentPrincipal() principal: Principal,
    @Query() query: RegisterQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    if (query.to < query.from) {
      throw new DomainException(DomainErrorCode.VALIDATION_FAILED, 'The period ends before it starts.', [
        { field: 'to', message: 'must not be before from' },
      ]);
    }
    await this.organisation.assertCanSee(principal, query.unit, 'read the register of');
    const rows: {
      code: string;
      procedure_code: string;
      procedure_name: string | null;
      applicant_name: string;
      applicant_contact: { address?: string; phone?: string };
      agency_name: string | null;
      received_at: Date;
      promised_at: Date | null;
      result_returned_at: Date | null;
      delivery: string | null;
    }[] = await this.dataSource.query(
      `SELECT d.code, d.procedure_code, p.name AS procedure_name, d.applicant_name, d.applicant_contact,
              u.name AS agency_name, d.received_at, d.promised_at, d.result_returned_at,
              (SELECT e.payload->>'deliveryMethod' FROM dossier_events e
                WHERE e.dossier_code = d.code AND e.type = 'RESULT_RETURNED' ORDER BY e.seq LIMIT 1) AS delivery
         FROM dossiers d
         LEFT JOIN procedures p ON p.code = d.procedure_code
         LEFT JOIN units u ON u.code = p.resolving_agency_code
        WHERE d.receiving_unit_code = $1
          AND d.received_at >= ($2::date)::timestamp AT TIME ZONE $4
          AND d.received_at < ($3::date + 1)::timestamp AT TIME ZONE $4
        ORDER BY d.received_at, d.code`,
      [query.unit, query.from, query.to, this.config.TIME_ZONE],
    );
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
    if (!accept?.includes('application/pdf')) {
      return body;
    }
    const pdf = await renderFormPdf(
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
    res.type('application/pdf').send(pdf);
    return undefined;
  }
}
