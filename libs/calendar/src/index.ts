export * from './zoned-date';
export * from './civil-date';
export * from './lunar';
export * from './vietnam-holidays';
export * from './working-calendar';
export * from './vietnam-calendar';
export * from './scope-chain';
export * from './calendar-data';
