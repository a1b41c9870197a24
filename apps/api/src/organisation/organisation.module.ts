import { Global, Module } from '@nestjs/common';
import { OrganisationService } from './organisation.service';
import { UnitsController } from './units.controller';

@Global()
@Module({ controllers: [UnitsController], providers: [OrganisationService], exports: [OrganisationService] })
export class OrganisationModule {}
