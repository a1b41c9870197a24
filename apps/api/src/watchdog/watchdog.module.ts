import { Module } from '@nestjs/common';
import { WatchdogController } from './watchdog.controller';
import { WatchdogScheduleService } from './watchdog-schedule.service';

/** The deadline watchdog: its Schedule (the worker runs it) and its findings for administrators and auditors. */
@Module({ controllers: [WatchdogController], providers: [WatchdogScheduleService] })
export class WatchdogModule {}
