export * from './deadline-clock';
export * from './timeliness';
export * from './promised-time';
export * from './transition';
export * from './dossier-process.types';
