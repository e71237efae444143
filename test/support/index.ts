export * from './vectors';
