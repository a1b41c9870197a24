import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { ProceduresModule } from '../procedures/procedures.module';
import { DossiersController } from './dossiers.controller';
import { DossiersService } from './dossiers.service';

@Module({ imports: [OutboxModule, ProceduresModule], controllers: [DossiersController], providers: [DossiersService] })
export class DossiersModule {}
