/**
 * The front end's types and constants, by concern; import them from here ('shared/types').
 * Most mirror pkg/models (the comments say which).
 */
export * from './plugin';
export * from './query';
export * from './settings';
export * from './registry';
export * from './compliance';
export * from './report';
