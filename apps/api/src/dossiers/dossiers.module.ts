import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { OutboxModule } from '../outbox/outbox.module';
import { ProceduresModule } from '../procedures/procedures.module';
import { DossierReader } from './dossier.reader';
import { DossiersController } from './dossiers.controller';
import { DossiersService } from './dossiers.service';
import { DossierFormsService } from './forms/dossier-forms.service';
import { IntakeService } from './intake.service';
import { LookupPinController } from './lookup-pin.controller';
import { LookupPinService } from './lookup-pin.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { PromisedTimeController } from './promised-time.controller';
import { RegisterController } from './register.controller';
import { RegisterService } from './register.service';

@Module({
  imports: [OutboxModule, ProceduresModule, CalendarModule],
  controllers: [
    DossiersController,
    RegisterController,
    NotificationsController,
    PromisedTimeController,
    LookupPinController,
  ],
  providers: [
    DossiersService,
    IntakeService,
    DossierReader,
    DossierFormsService,
    NotificationsService,
    RegisterService,
    LookupPinService,
  ],
  exports: [DossiersService, IntakeService],
})
export class DossiersModule {}
