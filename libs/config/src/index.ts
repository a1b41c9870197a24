export * from './app-config';
export * from './api-server';
export * from './environment';
export * from './network';
export * from './task-queues';
export * from './temporal-connection';
export * from './config.module';
