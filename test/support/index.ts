export * from './vectors';
export * from './postgres';
