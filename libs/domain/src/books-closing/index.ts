export * from './books-closing.events';
export * from './books-snapshot';
export * from './books-closing.decider';
export * from './books-tracker';
