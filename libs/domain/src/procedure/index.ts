export * from './procedure.types';
export * from './procedure.validation';
