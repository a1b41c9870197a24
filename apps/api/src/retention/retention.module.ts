import { Module } from '@nestjs/common';
import { RetentionScheduleService } from './retention-schedule.service';

/** Personal data kept no longer than the law allows: the Schedule of the retention job (the worker runs it). */
@Module({ providers: [RetentionScheduleService] })
export class RetentionModule {}
