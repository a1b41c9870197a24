export * from './deadline-clock';
export * from './timeliness';
