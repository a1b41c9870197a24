export * from './app-config';
export * from './temporal-connection';
export * from './config.module';
