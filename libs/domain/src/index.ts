export * from './domain-exception';
export * from './dossier-status';
export * from './dossier-code';
export * from './submission';
export * from './personal-id';
export * from './procedure';
export * from './dossier';
export * from './report';
