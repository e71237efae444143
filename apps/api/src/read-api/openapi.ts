import { dirname } from 'node:path';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { StaticFiles } from '../dashboard/static-files';
import { isOperatorPath } from '../operator/operator-key.guard';

export const OPENAPI_PATH = '/api/docs';

const SWAGGER_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>chia-pool-ledger read API</title>
<link rel="stylesheet" href="${OPENAPI_PATH}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="${OPENAPI_PATH}/swagger-ui-bundle.js"></script>
<script src="${OPENAPI_PATH}/swagger-ui-init.js"></script></body></html>
`;
const SWAGGER_INIT = `window.ui = SwaggerUIBundle({ url: '${OPENAPI_PATH}-json', dom_id: '#swagger-ui', deepLinking: true });\n`;

/** The operator's own document: every /api route, the operator endpoints and the key they need included. */
export const OPERATOR_OPENAPI_PATH = '/api/operator/docs-json';

/**
 * The read API's OpenAPI document at /api/docs-json and Swagger UI at /api/docs. Only /api routes are listed: the
 * pool protocol (/pool_info, /farmer, /partial, /login) is Chia's specification, not ours to describe. The public
 * document leaves out /api/operator (paths, their schemas and the key scheme): without the key every operator path
 * answers 401 so that nobody learns which exist, and the public document must not tell them either. The operator
 * gets the whole document at OPERATOR_OPENAPI_PATH, behind the same key. Swagger UI's files are served from
 * swagger-ui-dist directly: SwaggerModule's own UI setup needs @fastify/static, whose ESM-only dependency the
 * CommonJS test runner cannot load.
 */
export function installOpenApi(app: NestFastifyApplication): void {
  const builder = (): DocumentBuilder =>
    new DocumentBuilder()
      .setTitle('chia-pool-ledger read API')
      .setDescription(
        'What farmers and operators can see, answered from the projections of the event-sourced ledger. Points, mojos and bytes are ' +
          'decimal strings; times are unix seconds of ledger time. Lists are keyset paged (limit, cursor) or page-numbered (page, limit). ' +
          'Errors are plain JSON with an HTTP status: {"statusCode", "message", "error"}.',
      )
      .setVersion('1');
  const document = SwaggerModule.createDocument(app, builder().build());
  document.paths = Object.fromEntries(Object.entries(document.paths).filter(([path]) => path.startsWith('/api/') && !isOperatorPath(path)));
  pruneUnusedSchemas(document);
  SwaggerModule.setup(OPENAPI_PATH, app, document, { ui: false, raw: ['json'], jsonDocumentUrl: `${OPENAPI_PATH}-json` });

  const operatorDocument = SwaggerModule.createDocument(app, builder().addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'operator').build());
  operatorDocument.paths = Object.fromEntries(Object.entries(operatorDocument.paths).filter(([path]) => path.startsWith('/api/')));
  pruneUnusedSchemas(operatorDocument);
  const operatorJson = JSON.stringify(operatorDocument);
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  // Under /api/operator, so the operator key check (installOperatorKeyCheck) answers 401 first without the key.
  fastify.get(OPERATOR_OPENAPI_PATH, async (_request, reply) => {
    await reply.type('application/json; charset=utf-8').send(operatorJson);
  });
  const assets = new StaticFiles(dirname(require.resolve('swagger-ui-dist/package.json')), ['swagger-ui.css', 'swagger-ui-bundle.js']);
  fastify.get(OPENAPI_PATH, async (_request, reply) => {
    await reply.type('text/html; charset=utf-8').send(SWAGGER_PAGE);
  });
  fastify.get(`${OPENAPI_PATH}/swagger-ui-init.js`, async (_request, reply) => {
    await reply.type('text/javascript; charset=utf-8').send(SWAGGER_INIT);
  });
  fastify.get<{ Params: { name: string } }>(`${OPENAPI_PATH}/:name`, (request, reply) => assets.send(request.params.name, request, reply));
}

/** Drops the component schemas no remaining path refers to, directly or through another schema. */
function pruneUnusedSchemas(document: OpenAPIObject): void {
  const schemas = document.components?.schemas;
  if (!schemas) return;
  const refsIn = (node: unknown): string[] => [...JSON.stringify(node ?? null).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
  const used = new Set<string>();
  const pending = refsIn(document.paths);
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (used.has(name)) continue;
    used.add(name);
    pending.push(...refsIn(schemas[name]));
  }
  document.components!.schemas = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
}
