export * from './partners';
export * from './auth';
export * from './audit';
export * from './ledger';
export * from './market';
export * from './earning';
export * from './rating';
