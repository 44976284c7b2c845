export * from './providers.js';
export * from './settings.js';
export * from './accounts.js';
export * from './request-log.js';
export * from './stats.js';
export * from './control-api.js';
export * from './patch-schema.js';
