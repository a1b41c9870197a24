import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { OutboxRelayService } from './outbox-relay.service';
import { HandoffSender, HttpHandoffSender } from '../handoffs/handoff-sender';
import { HttpPortalSender, PortalSender } from './portal-sender';

@Module({
  // The transition notices tell the relay which new dossiers the workers took up (WORKFLOW_STARTS_IN_FLIGHT).
  imports: [EventsModule],
  providers: [
    OutboxRelayService,
    { provide: PortalSender, useClass: HttpPortalSender },
    { provide: HandoffSender, useClass: HttpHandoffSender },
  ],
  exports: [OutboxRelayService],
})
export class OutboxModule {}
