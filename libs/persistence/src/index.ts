export * from './entities';
export * from './migrations';
export * from './data-source';
export * from './stores/dossier.store';
export * from './stores/outbox.store';
export * from './stores/idempotency';
export * from './seed';
export * from './database.module';
