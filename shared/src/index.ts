export * from './countries.js';
export * from './errors.js';
export * from './schemas/common.js';
export * from './schemas/auth.js';
export * from './schemas/charters.js';
export * from './schemas/templates.js';
export * from './collab/index.js';
