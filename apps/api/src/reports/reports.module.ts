import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { ReportsController } from './reports.controller';
import { ReportScheduleService } from './report-schedule.service';
import { ReportsService } from './reports.service';

@Module({
  imports: [CalendarModule],
  controllers: [ReportsController],
  providers: [ReportsService, ReportScheduleService],
})
export class ReportsModule {}
