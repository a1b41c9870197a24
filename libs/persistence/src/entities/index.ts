import { DossierEventEntity } from './dossier-event.entity';
import { DossierEntity } from './dossier.entity';
import { OfficerEntity } from './officer.entity';
import { OutboxMessageEntity } from './outbox-message.entity';
import { UnitEntity } from './unit.entity';

export { DossierEntity, DossierEventEntity, OfficerEntity, OutboxMessageEntity, UnitEntity };
export const ENTITIES = [UnitEntity, OfficerEntity, DossierEntity, DossierEventEntity, OutboxMessageEntity];
