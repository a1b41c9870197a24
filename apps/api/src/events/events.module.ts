import { Module } from '@nestjs/common';
import { DossierChangesListener } from './dossier-changes.listener';
import { EventsController } from './events.controller';

@Module({ controllers: [EventsController], providers: [DossierChangesListener], exports: [DossierChangesListener] })
export class EventsModule {}
