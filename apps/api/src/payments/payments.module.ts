import { Module } from '@nestjs/common';
import { DossiersModule } from '../dossiers/dossiers.module';
import { DossierPaymentsController, PaymentGatewayController, RefundsDueController } from './payments.controller';
import { PaymentsService } from './payments.service';

/** Fees paid online through the payment gateway (VNPay 2.1.0 protocol), and every dossier's receipts. */
@Module({
  imports: [DossiersModule],
  controllers: [DossierPaymentsController, PaymentGatewayController, RefundsDueController],
  providers: [PaymentsService],
  exports: [PaymentsService],
})
export class PaymentsModule {}
