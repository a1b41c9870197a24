import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import {
  type CalendarDay,
  formatIsoDate,
  formatLocalIso,
  MINUTE_MS,
  NATIONAL_SCOPE,
  WORKING_DAY_MS,
} from '../../../../libs/calendar/src';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators';
import { type Principal } from '../auth/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import {
  CalendarChangesQuery,
  CalendarPathParams,
  DueQuery,
  ElapsedQuery,
  PutCalendarYearQuery,
  PutCalendarYearRequest,
} from './calendar.dto';
import { CalendarService } from './calendar.service';
import { CalendarChangesView, CalendarDryRunView, CalendarYearView, DueView, ElapsedView } from './calendar.view';

@ApiTags('calendar')
@ApiBearerAuth()
@ApiProblems(401, 422)
@Controller({ version: '1' })
export class CalendarController {
  constructor(private readonly calendars: CalendarService) {}

  @Get('calendar/due')
  @ApiOperation({ summary: 'The due instant of an amount of working (WD, WH) or calendar (CD) time, cut-offs applied' })
  @ApiOkResponse({ type: DueView })
  async due(@Query() q: DueQuery): Promise<DueView> {
    const scope = q.scope ?? NATIONAL_SCOPE;
    const { calendar, chain, effective } = await this.calendars.forScope(scope);
    const { anchor, due } = calendar.due(new Date(q.from), q.amount, q.unit, {
      lastOfficeHour: q.lastOfficeHour,
      cutoffTime: q.cutoffTime,
    });
    // The named days off between the anchor and the due instant: why the due date is where it is.
    const first = calendar.local(anchor.getTime()).day;
    const last = calendar.local(due.getTime()).day;
    const names = new Map<string, string>();
    for (let y = Number(formatIsoDate(first).slice(0, 4)); y <= Number(formatIsoDate(last).slice(0, 4)); y++) {
      effective(y).holidays.forEach((d) => names.set(d.date, d.name));
    }
    const holidaysSkipped: CalendarDay[] = [];
    for (let d = first; d <= last; d++) {
      const name = names.get(formatIsoDate(d));
      if (name && !calendar.isWorkingDay(d)) {
        holidaysSkipped.push({ date: formatIsoDate(d), name });
      }
    }
    return {
      from: formatLocalIso(calendar, new Date(q.from)),
      amount: q.amount,
      unit: q.unit,
      scope,
      scopes: chain,
      anchor: formatLocalIso(calendar, anchor),
      due: formatLocalIso(calendar, due),
      holidaysSkipped,
    };
  }

  @Get('calendar/elapsed')
  @ApiOperation({ summary: 'Working time between two instants' })
  @ApiOkResponse({ type: ElapsedView })
  async elapsed(@Query() q: ElapsedQuery): Promise<ElapsedView> {
    const scope = q.scope ?? NATIONAL_SCOPE;
    const { calendar } = await this.calendars.forScope(scope);
    const from = new Date(q.from);
    const to = new Date(q.to);
    const ms = calendar.workingBetween(from, to);
    return {
      from: formatLocalIso(calendar, from),
      to: formatLocalIso(calendar, to),
      scope,
      workingMinutes: ms / MINUTE_MS,
      workingHours: ms / (60 * MINUTE_MS),
      workingDays: Math.round((ms / WORKING_DAY_MS) * 10_000) / 10_000,
      calendarDays: calendar.local(to.getTime()).day - calendar.local(from.getTime()).day,
    };
  }

  @Get('calendars/:scope/:year')
  @ApiOperation({ summary: "A scope's own entry for a year and the effective calendar it produces" })
  @ApiOkResponse({ type: CalendarYearView })
  async getYear(@Param() p: CalendarPathParams) {
    const { own, effective } = await this.calendars.year(p.scope, p.year);
    return { scope: p.scope, year: p.year, own, effective };
  }

  @Put('calendars/:scope/:year')
  @RequireRoles('ADMIN')
  @ApiOperation({
    summary: "Replace a scope's holidays and make-up working days for a year (admin)",
    description:
      'Running dossiers of the scope whose deadlines can span the year re-project their due times. With ' +
      '`?dryRun=true` the body is checked by the same rules and the answer (`CalendarDryRunView`) says how many ' +
      'dossiers a save would re-project and which days it adds or removes; nothing is saved.',
  })
  @ApiExtraModels(CalendarYearView, CalendarDryRunView)
  @ApiOkResponse({
    description: 'The saved year, or with `?dryRun=true` what saving it would do',
    schema: { oneOf: [{ $ref: getSchemaPath(CalendarYearView) }, { $ref: getSchemaPath(CalendarDryRunView) }] },
  })
  @ApiProblems(403)
  async putYear(
    @Param() p: CalendarPathParams,
    @Query() q: PutCalendarYearQuery,
    @Body() body: PutCalendarYearRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    if (q.dryRun) {
      const preview = await this.calendars.dryRun(p.scope, p.year, body);
      return { dryRun: true, scope: p.scope, year: p.year, ...preview } satisfies CalendarDryRunView;
    }
    const { own, effective } = await this.calendars.put(p.scope, p.year, body, principal.officerId);
    return { scope: p.scope, year: p.year, own, effective };
  }

  @Get('calendars/:scope/:year/changes')
  @RequireRoles('ADMIN')
  @ApiOperation({
    summary: "Dossiers whose deadlines edits of a scope's year re-projected: their CALENDAR_CHANGE ledger entries",
  })
  @ApiOkResponse({ type: CalendarChangesView })
  @ApiProblems(403)
  async changes(@Param() p: CalendarPathParams, @Query() q: CalendarChangesQuery): Promise<CalendarChangesView> {
    const items = await this.calendars.changes(p.scope, p.year, {
      since: q.since ? new Date(q.since) : undefined,
      limit: q.limit ?? 50,
    });
    return {
      scope: p.scope,
      year: p.year,
      items: items.map((c) => ({ ...c, at: c.at.toISOString() })),
    };
  }
}
