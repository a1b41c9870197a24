export * from './dossier.activities';
export * from './dossier.activities.types';
export * from './report.activities';
export * from './retention.activities';
export * from './watchdog.activities';
