export * from './progress-report';
export * from './progress-reporter';
