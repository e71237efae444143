import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StaticFiles } from './static-files';

export const DASHBOARD_PREFIX = '/dashboard';

/**
 * Where the front end's files are. They are hand-written ES modules with no build step, so `tsc` does not copy them
 * to dist/: the compiled server (dist/apps/api/src/dashboard) serves them from the source tree it was built from.
 */
export function dashboardRoot(): string {
  const candidates = [join(__dirname, 'public'), join(__dirname, '..', '..', '..', '..', '..', 'apps', 'api', 'src', 'dashboard', 'public')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`the dashboard's files are missing (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * What the dashboard's pages may do, sent with every file under /dashboard. Its scripts, styles and data all come
 * from this origin (ES modules, one stylesheet, the read API) and it writes farmer-supplied text only as text, so
 * the policy allows nothing else: no inline script or style attribute, no other origin, no plugin, no `<base>`, and
 * no framing (clickjacking the "Find farmer" form or a logged-in farmer's page). Setting `element.style` from a
 * script (the chart legend's swatches) is not inline style and stays allowed.
 */
export const DASHBOARD_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  // For browsers that predate frame-ancestors.
  'x-frame-options': 'DENY',
  // A file is only what its content-type says: no sniffing a farmer-influenced response into a script.
  'x-content-type-options': 'nosniff',
  // Farmer pages carry a launcher id in their path: other origins are not told it.
  'referrer-policy': 'same-origin',
};

/**
 * The dashboard at /dashboard: every page path (/dashboard, /dashboard/blocks, /dashboard/farmer/<launcherId>, ...)
 * answers the same index.html, which routes on the client; scripts and styles come from /dashboard/static/. The
 * routes are registered straight on Fastify, so a missing file is a plain 404 rather than the pool protocol's error
 * answer (the protocol filter treats every path outside /api, /health and /metrics as protocol).
 */
export function installDashboard(app: NestFastifyApplication): void {
  const root = dashboardRoot();
  const files = new StaticFiles(root, readdirSync(root).filter((name) => /^[\w.-]+\.(html|js|css|svg|png)$/.test(name)));
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const page = (request: FastifyRequest, reply: FastifyReply): Promise<void> => files.send('index.html', request, reply.headers(DASHBOARD_SECURITY_HEADERS));
  // Any other path under /dashboard is a page too: the client router shows the overview for one it does not know.
  for (const path of ['', '/', '/*']) fastify.get(`${DASHBOARD_PREFIX}${path}`, page);
  fastify.get<{ Params: { name: string } }>(`${DASHBOARD_PREFIX}/static/:name`, (request, reply) => files.send(request.params.name, request, reply.headers(DASHBOARD_SECURITY_HEADERS)));
}
