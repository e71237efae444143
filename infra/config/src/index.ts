export * from './config-types';
export * from './pool-config';
export * from './pool-settings';
export { ConfigError } from './config-reader';
export { addressNetworkProblems, knownConfigKeys, mixedNetworkProblem, parseConfigText, readConfigFile, type PoolConfigOverrides } from './config-file';
