export * from './partials/partial.events';
export * from './partials/farmer-points.fold';
export * from './farmers/difficulty.policy';
export * from './shared/decider';
export * from './farmers/farmer.events';
export * from './farmers/farmer.decider';
export * from './partials/partial.decider';
