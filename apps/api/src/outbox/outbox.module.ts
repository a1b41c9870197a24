import { Module } from '@nestjs/common';
import { OutboxRelayService } from './outbox-relay.service';
import { HandoffSender, HttpHandoffSender } from '../handoffs/handoff-sender';
import { HttpPortalSender, PortalSender } from './portal-sender';

@Module({
  providers: [
    OutboxRelayService,
    { provide: PortalSender, useClass: HttpPortalSender },
    { provide: HandoffSender, useClass: HttpHandoffSender },
  ],
  exports: [OutboxRelayService],
})
export class OutboxModule {}
