#!/usr/bin/env node
// The operator CLI. Its code is TypeScript compiled to dist/ by `npm ci` (prepare) or `npm run build`.
require('../dist/apps/poolctl/src/main.js');
