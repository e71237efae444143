import { existsSync } from 'node:fs';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Worker threads run plain JavaScript. After `npm run build` the worker is a compiled `.js` file beside its
 * caller and is started directly. Under jest (ts-jest) only the `.ts` source exists, so the thread is started
 * with this small bootstrap instead: it teaches the thread's `require` the tsconfig path aliases and `.ts`
 * files, transpiling each one with TypeScript's `transpileModule` (no type checking, as ts-jest does here).
 * The bootstrap is a string because a `.js` file in src would not be copied to dist by tsc.
 */
const TYPESCRIPT_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const entry = workerData.__typescriptEntry;
const ts = Module.createRequire(entry)('typescript');

let dir = path.dirname(entry);
while (!fs.existsSync(path.join(dir, 'tsconfig.json'))) {
  const up = path.dirname(dir);
  if (up === dir) throw new Error('no tsconfig.json above ' + entry);
  dir = up;
}
const configPath = path.join(dir, 'tsconfig.json');
const json = ts.readConfigFile(configPath, ts.sys.readFile).config || {};
const compilerOptions = ts.convertCompilerOptionsFromJson(json.compilerOptions || {}, dir).options;
const baseUrl = compilerOptions.baseUrl || dir;
const aliases = Object.entries(compilerOptions.paths || {}).map(([pattern, targets]) => ({ pattern, target: path.resolve(baseUrl, targets[0]) }));

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  for (const { pattern, target } of aliases) {
    if (pattern.endsWith('/*')) {
      const prefix = pattern.slice(0, -1);
      if (request.startsWith(prefix)) return resolveFilename.call(this, target.slice(0, -1) + request.slice(prefix.length), ...rest);
    } else if (request === pattern) {
      return resolveFilename.call(this, target, ...rest);
    }
  }
  return resolveFilename.call(this, request, ...rest);
};

const transpileOptions = {
  ...compilerOptions,
  module: ts.ModuleKind.CommonJS,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: false,
  incremental: false,
  tsBuildInfoFile: undefined,
  noEmit: false,
};
Module._extensions['.ts'] = function (module, filename) {
  const output = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { fileName: filename, compilerOptions: transpileOptions });
  module._compile(output.outputText, filename);
};
require(entry);
`;

/** The worker's script path without extension, e.g. `${__dirname}/partial-crypto.worker`. */
export function startWorker(scriptWithoutExtension: string, options: WorkerOptions = {}): Worker {
  const compiled = `${scriptWithoutExtension}.js`;
  if (existsSync(compiled)) return new Worker(compiled, options);
  const source = `${scriptWithoutExtension}.ts`;
  if (!existsSync(source)) throw new Error(`no worker script at ${compiled} or ${source}`);
  const workerData = { ...(options.workerData as object | undefined), __typescriptEntry: source };
  return new Worker(TYPESCRIPT_BOOTSTRAP, { ...options, eval: true, workerData });
}
