import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../../../libs/config/src';
import {
  type CalendarData,
  type CalendarDay,
  createScopedCalendar,
  effectiveYear,
  type EffectiveYear,
  formatIsoDate,
  parseIsoDate,
  type WorkingCalendar,
} from '../../../../libs/calendar/src';
import { DomainErrorCode, DomainException, type FieldError } from '../../../../libs/domain/src';
import {
  CALENDAR_CHANGED_CHANNEL,
  type CalendarChangeRecord,
  CalendarStore,
  loadCalendarData,
  PgListener,
  type StoredCalendarYear,
} from '../../../../libs/persistence/src';
import { OutboxRelayService } from '../outbox/outbox-relay.service';
import { scopeChain } from './calendar-scope';

/** A scope's year as an admin sends it. */
export interface CalendarEdit {
  holidays: CalendarDay[];
  makeupWorkdays: CalendarDay[];
  legalBasis?: string;
}

/** A dry run's answer: who a save would reach and what it would change versus the year as it stands. */
export interface CalendarDryRun {
  affectedDossiers: number;
  holidaysAdded: CalendarDay[];
  holidaysRemoved: CalendarDay[];
  makeupWorkdaysAdded: CalendarDay[];
  makeupWorkdaysRemoved: CalendarDay[];
}

export interface ScopedCalendar {
  chain: string[];
  calendar: WorkingCalendar;
  /** What the calendar was built from, as a workflow computes with it (see loadWorkingCalendar). */
  data: CalendarData;
  /** The effective year the calendar uses (from the entries it was built from; no I/O). */
  effective: (year: number) => EffectiveYear;
}

/**
 * Builds working calendars from the stored scopes and caches them until a calendar changes: an edit through any API
 * instance (or in SQL) is announced by PostgreSQL (LISTEN calendar_changed, raised by triggers), and every instance
 * forgets what it built. While that connection is down nothing is cached, so no instance computes due times from a
 * calendar another one changed.
 */
@Injectable()
export class CalendarService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CalendarService.name);
  private readonly cache = new Map<string, Promise<ScopedCalendar>>();
  private readonly listener: PgListener;
  private listening = false;

  constructor(
    private readonly store: CalendarStore,
    private readonly relay: OutboxRelayService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.listener = new PgListener(config.DATABASE_URL, CALENDAR_CHANGED_CHANNEL, this.logger, {
      notice: () => this.cache.clear(),
      // Whatever changed before LISTEN took effect was not heard: start from an empty cache.
      listening: () => {
        this.cache.clear();
        this.listening = true;
      },
      lost: () => {
        this.listening = false;
        this.cache.clear();
      },
    });
  }

  onModuleInit(): void {
    // A dossier's workflow starts with its receiving unit's calendar as this instance has it (current: see above).
    this.relay.useCalendars(async (scope) => (await this.forScope(scope)).data);
    this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener.stop();
  }

  forScope(scope: string): Promise<ScopedCalendar> {
    const chain = scopeChain(scope);
    if (!this.listening) {
      return this.build(chain);
    }
    const key = chain.join('>');
    let cached = this.cache.get(key);
    if (!cached) {
      cached = this.build(chain);
      this.cache.set(key, cached);
      cached.catch(() => this.cache.delete(key));
    }
    return cached;
  }

  async year(scope: string, year: number): Promise<{ own: StoredCalendarYear | null; effective: EffectiveYear }> {
    const chain = scopeChain(scope);
    const entries = await this.store.entries(chain);
    const own = entries.find((e) => e.scope === scope && e.year === year) ?? null;
    return {
      own,
      effective: effectiveYear(
        year,
        chain.map((s) => entries.find((e) => e.scope === s && e.year === year)),
      ),
    };
  }

  async put(
    scope: string,
    year: number,
    body: CalendarEdit,
    updatedBy: string,
  ): Promise<{ own: StoredCalendarYear; effective: EffectiveYear }> {
    assertValid(scope, year, body);
    const own = await this.store.put(
      {
        scope,
        year,
        holidays: body.holidays,
        makeupWorkdays: body.makeupWorkdays,
        source: 'OFFICIAL',
        legalBasis: body.legalBasis,
      },
      updatedBy,
    );
    this.cache.clear();
    // Running dossiers were queued for re-projection in the same transaction; deliver now.
    this.relay.wake();
    const { effective } = await this.year(scope, year);
    return { own, effective };
  }

  /** What `put` with this body would do, checked by the same rules; saves nothing and signals no one. */
  async dryRun(scope: string, year: number, body: CalendarEdit): Promise<CalendarDryRun> {
    assertValid(scope, year, body);
    const { before, affectedDossiers } = await this.store.preview(scope, year);
    const diff = (list: (e: CalendarEdit | undefined) => CalendarDay[]) => {
      const was = new Set(list(before).map((d) => d.date));
      const now = new Set(list(body).map((d) => d.date));
      return {
        added: list(body).filter((d) => !was.has(d.date)),
        removed: list(before).filter((d) => !now.has(d.date)),
      };
    };
    const holidays = diff((e) => e?.holidays ?? []);
    const makeup = diff((e) => e?.makeupWorkdays ?? []);
    return {
      affectedDossiers,
      holidaysAdded: holidays.added,
      holidaysRemoved: holidays.removed,
      makeupWorkdaysAdded: makeup.added,
      makeupWorkdaysRemoved: makeup.removed,
    };
  }

  /** The dossiers whose due times edits of this year moved (their ledger entries), newest first. */
  changes(scope: string, year: number, options: { since?: Date; limit: number }): Promise<CalendarChangeRecord[]> {
    scopeChain(scope);
    return this.store.changes(scope, year, options);
  }

  private async build(chain: string[]): Promise<ScopedCalendar> {
    const data = await loadCalendarData(this.store, chain, this.config.TIME_ZONE);
    const { timeZone, officeHours, entries } = data;
    return {
      chain,
      calendar: createScopedCalendar({ timeZone, officeHours, entries, chain }),
      data,
      effective: (year) =>
        effectiveYear(
          year,
          chain.map((s) => entries.find((e) => e.scope === s && e.year === year)),
        ),
    };
  }
}

/** The same rules for a save and its dry run: a known scope, real dates of the year, none listed twice. */
function assertValid(scope: string, year: number, body: CalendarEdit): void {
  scopeChain(scope);
  const errors = validateYear(year, body.holidays, body.makeupWorkdays);
  if (errors.length > 0) {
    throw new DomainException(
      DomainErrorCode.VALIDATION_FAILED,
      `The calendar for ${scope} ${year} is invalid.`,
      errors,
    );
  }
}

function validateYear(year: number, holidays: CalendarDay[], makeup: CalendarDay[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, string>();
  const check = (list: CalendarDay[], field: string): void => {
    list.forEach((d, i) => {
      const day = parseIsoDate(d.date);
      if (day === undefined) {
        errors.push({ field: `${field}[${i}].date`, message: `"${d.date}" is not a date YYYY-MM-DD` });
      } else if (!formatIsoDate(day).startsWith(`${year}-`)) {
        errors.push({ field: `${field}[${i}].date`, message: `${d.date} is not in ${year}` });
      } else if (seen.has(d.date)) {
        errors.push({
          field: `${field}[${i}].date`,
          message: `${d.date} is listed twice (also in ${seen.get(d.date)})`,
        });
      } else {
        seen.set(d.date, field);
      }
    });
  };
  check(holidays, 'holidays');
  check(makeup, 'makeupWorkdays');
  return errors;
}
