import { existsSync } from 'node:fs';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Worker threads run plain JavaScript. After `npm run build` the worker is a compiled `.js` file beside its
 * caller and is started directly. Under jest (ts-jest) only the `.ts` source exists, so the thread is started
 * with this small bootstrap instead: it teaches the thread's `require` the tsconfig path aliases and `.ts`
 * files, transpiling each one with TypeScript's `transpileModule` (no type checking, as ts-jest does here).
 * Transpiled files are kept under the OS temp folder by TypeScript's version, path and content, and TypeScript
 * itself is loaded only for a file not kept yet: a test suite starts many such threads (every SQLite ledger on a
 * file has its writer thread), and loading TypeScript costs each of them about half a second.
 * The bootstrap is a string because a `.js` file in src would not be copied to dist by tsc.
 */
const TYPESCRIPT_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Module = require('node:module');
const entry = workerData.__typescriptEntry;
const requireHere = Module.createRequire(entry);

let dir = path.dirname(entry);
while (!fs.existsSync(path.join(dir, 'tsconfig.json'))) {
  const up = path.dirname(dir);
  if (up === dir) throw new Error('no tsconfig.json above ' + entry);
  dir = up;
}
const configPath = path.join(dir, 'tsconfig.json');
// The project's tsconfig.json is plain JSON (no comments): its aliases need no TypeScript.
const json = JSON.parse(fs.readFileSync(configPath, 'utf8'));
const baseUrl = path.resolve(dir, (json.compilerOptions && json.compilerOptions.baseUrl) || '.');
const aliases = Object.entries((json.compilerOptions && json.compilerOptions.paths) || {}).map(([pattern, targets]) => ({ pattern, target: path.resolve(baseUrl, targets[0]) }));

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

let transpiler;
function transpile(source, filename) {
  if (!transpiler) {
    const ts = requireHere('typescript');
    const compilerOptions = ts.convertCompilerOptionsFromJson(json.compilerOptions || {}, dir).options;
    const options = { ...compilerOptions, module: ts.ModuleKind.CommonJS, sourceMap: false, inlineSourceMap: true, inlineSources: false, incremental: false, tsBuildInfoFile: undefined, noEmit: false };
    transpiler = (text, fileName) => ts.transpileModule(text, { fileName, compilerOptions: options }).outputText;
  }
  return transpiler(source, filename);
}
const version = JSON.parse(fs.readFileSync(requireHere.resolve('typescript/package.json'), 'utf8')).version;
const cacheDir = path.join(os.tmpdir(), 'pool-ts-cache-threads-' + version);
fs.mkdirSync(cacheDir, { recursive: true });

Module._extensions['.ts'] = function (module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha256').update(configPath).update('\\0').update(filename).update('\\0').update(source).digest('hex');
  const kept = path.join(cacheDir, key + '.js');
  let output;
  try {
    output = fs.readFileSync(kept, 'utf8');
  } catch {
    output = transpile(source, filename);
    const temporary = kept + '.' + process.pid + '.' + Math.random().toString(36).slice(2);
    fs.writeFileSync(temporary, output);
    fs.renameSync(temporary, kept);
  }
  module._compile(output, filename);
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
