import { Module } from '@nestjs/common';
import { OutboxRelayService } from './outbox-relay.service';
import { HttpPortalSender, PortalSender } from './portal-sender';

@Module({
  providers: [OutboxRelayService, { provide: PortalSender, useClass: HttpPortalSender }],
  exports: [OutboxRelayService],
})
export class OutboxModule {}
