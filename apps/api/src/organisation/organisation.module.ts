import { Global, Module } from '@nestjs/common';
import { OrganisationService } from './organisation.service';
import { OfficersController } from './officers.controller';
import { UnitsController } from './units.controller';

@Global()
@Module({
  controllers: [UnitsController, OfficersController],
  providers: [OrganisationService],
  exports: [OrganisationService],
})
export class OrganisationModule {}
