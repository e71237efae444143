export * from './pool-config';
