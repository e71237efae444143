export * from './partials/partial.events';
export * from './partials/farmer-points.fold';
export * from './farmers/difficulty.policy';
