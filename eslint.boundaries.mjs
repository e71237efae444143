/**
 * The dependency rules of ARCHITECTURE.md as ESLint `no-restricted-imports` blocks, one per package. Kept apart from
 * eslint.config.mjs so test/lint/boundaries.spec.ts can prove each rule bites on a forbidden import.
 *
 * - Packages are reached through their alias only (`@pool/x`, its index.ts): no deep path, and no relative path
 *   climbing into another package's `src`.
 * - apps import libs and infra only; poolctl alone composes the apps' entry points (@pool/api, @pool/worker,
 *   @pool/projector) and alone imports @pool/devnet.
 * - libs/event-sourcing imports no other package; libs/domain only @pool/event-sourcing and @pool/chia's pure coin
 *   arithmetic, and nothing that does IO; libs/projections only the domain, the core and infra/read-models;
 *   libs/notifications (the notifier and its transports) only the domain, the core, infra/read-models and config.
 * - infra never imports apps (nor the read-side projections, the devnet or test support).
 * - Specs and test/ may import anything through the aliases (the devnet and test support included).
 */

const ALL = ['api', 'worker', 'projector', 'poolctl', 'event-sourcing', 'domain', 'projections', 'commands', 'chia', 'devnet', 'notifications', 'event-store', 'read-models', 'runtime', 'config', 'testing'];

const noDeepPaths = [
  { regex: '^@pool/[^/]+/', message: 'Import a package through its alias (@pool/x, its index.ts), never a deep path.' },
  { regex: '^(\\.\\./)+((apps|libs|infra)/)?[a-z-]+/src(/|$)', message: "Do not reach into another package's src by a relative path: import its @pool alias." },
  { regex: '^(\\.\\./)+test/', message: 'Test support is @pool/testing, for specs only: never a relative path into test/.' },
];

/** Every alias but `allowed` (and the package itself, whose own files import each other relatively). */
const aliasesExcept = (allowed, why) =>
  ALL.filter((name) => !allowed.includes(name)).map((name) => ({ name: `@pool/${name}`, message: why }));

/** Node modules and drivers that do IO: the domain is pure and deterministic. */
const IO_MODULES = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'child_process', 'node:child_process', 'pg', 'better-sqlite3', 'typeorm', '@eventstore/db-client'];

/** Pure coin arithmetic: the only part of libs/chia the accounting may use. */
const CHIA_FOR_DOMAIN = ['coinId', 'clvmIntBytes'];

const SPECS = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/*.contract.ts'];

const block = (files, paths, extraPatterns = []) => ({
  files,
  ignores: SPECS,
  rules: { 'no-restricted-imports': ['error', { paths, patterns: [...noDeepPaths, ...extraPatterns] }] },
});

const appsRule = 'apps import libs and infra only (poolctl alone composes the apps and runs the devnet)';

export const boundaries = [
  // Specs and test/: any alias, never a deep path.
  { files: ['**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: noDeepPaths }] } },
  block(['apps/api/**/*.ts'], aliasesExcept(['event-sourcing', 'domain', 'projections', 'commands', 'notifications', 'chia', 'event-store', 'read-models', 'runtime', 'config'], appsRule)),
  block(['apps/worker/**/*.ts'], aliasesExcept(['event-sourcing', 'domain', 'commands', 'notifications', 'chia', 'event-store', 'read-models', 'runtime', 'config'], appsRule)),
  block(['apps/projector/**/*.ts'], aliasesExcept(['event-sourcing', 'domain', 'projections', 'event-store', 'read-models', 'runtime', 'config'], appsRule)),
  block(['apps/poolctl/**/*.ts'], aliasesExcept(['api', 'worker', 'projector', 'event-sourcing', 'domain', 'projections', 'commands', 'notifications', 'chia', 'devnet', 'event-store', 'read-models', 'runtime', 'config'], appsRule)),
  block(['libs/event-sourcing/**/*.ts'], aliasesExcept([], 'libs/event-sourcing is the core: it imports no other package')),
  block(
    ['libs/domain/**/*.ts'],
    [
      ...aliasesExcept(['event-sourcing', 'chia'], 'libs/domain is pure: it imports only @pool/event-sourcing and the coin arithmetic of @pool/chia'),
      { name: '@pool/chia', allowImportNames: CHIA_FOR_DOMAIN, message: 'libs/domain may use only the pure coin arithmetic of @pool/chia' },
      ...IO_MODULES.map((name) => ({ name, message: 'libs/domain does no IO: take facts as inputs' })),
    ],
    [{ group: ['@nestjs/*', '@eventstore/*'], message: 'libs/domain does no IO and knows no framework' }],
  ),
  block(['libs/projections/**/*.ts'], aliasesExcept(['event-sourcing', 'domain', 'read-models'], 'libs/projections imports the domain, the core and infra/read-models only')),
  block(['libs/commands/**/*.ts'], aliasesExcept(['event-sourcing', 'domain', 'runtime'], 'libs/commands imports the domain, the core and infra/runtime only')),
  block(['libs/notifications/**/*.ts'], aliasesExcept(['event-sourcing', 'domain', 'read-models', 'config'], 'libs/notifications imports the domain, the core, infra/read-models and infra/config only')),
  block(['libs/chia/**/*.ts'], aliasesExcept([], 'libs/chia holds Chia primitives: it imports no other package')),
  block(['libs/devnet/**/*.ts'], aliasesExcept(['chia'], 'libs/devnet simulates Chia: it imports @pool/chia only')),
  block(['infra/**/*.ts'], aliasesExcept(['event-sourcing', 'chia', 'config', 'read-models', 'event-store', 'runtime'], 'infra imports the core, Chia clients and other infra, never apps')),
  // infra/runtime builds on the read-model database (leases, ports), so the read models cannot build on it in turn.
  block(['infra/read-models/**/*.ts'], aliasesExcept(['event-sourcing', 'chia', 'config', 'read-models', 'event-store'], 'infra/read-models may not import infra/runtime, which imports it')),
];
