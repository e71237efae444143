/**
 * `node -r ./register-typescript.js child.ts`: lets a plain node process (a child a test kills with SIGKILL) load
 * the project's TypeScript sources directly, the way ts-jest does for the tests: each `.ts` file is transpiled with
 * TypeScript's transpileModule (no type checking) and the tsconfig path aliases (@pool/...) resolve to the sources.
 * Transpiled files are cached under the OS temp folder by content hash, so restarts after a kill start quickly.
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Module = require('node:module');

const root = path.resolve(__dirname, '../../..');
const ts = Module.createRequire(path.join(root, 'package.json'))('typescript');
const configPath = path.join(root, 'tsconfig.json');
const json = ts.readConfigFile(configPath, ts.sys.readFile).config || {};
const compilerOptions = ts.convertCompilerOptionsFromJson(json.compilerOptions || {}, root).options;
const baseUrl = compilerOptions.baseUrl || root;
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
const cacheDir = path.join(os.tmpdir(), `pool-ts-cache-${ts.version}`);
fs.mkdirSync(cacheDir, { recursive: true });

Module._extensions['.ts'] = function (module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha256').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  let output;
  try {
    output = fs.readFileSync(cached, 'utf8');
  } catch {
    output = ts.transpileModule(source, { fileName: filename, compilerOptions: transpileOptions }).outputText;
    const temporary = `${cached}.${process.pid}`;
    fs.writeFileSync(temporary, output);
    fs.renameSync(temporary, cached);
  }
  module._compile(output, filename);
};
