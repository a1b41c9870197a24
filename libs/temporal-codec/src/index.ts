export * from './encryption-codec';
