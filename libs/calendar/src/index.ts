export * from './zoned-date';
