export * from './search-record.ts';
export * from './journal-entry.ts';
export * from './search-store.ts';
export * from './store-errors.ts';
export * from './memory-store.ts';
export * from './redis-store.ts';
export * from './redis-keys.ts';
