import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConnectionString } from '@eventstore/db-client/dist/Client/parseConnectionString';
import { parse } from 'yaml';
import { loadPoolConfig } from '@pool/config';
import { PoolMetrics } from '@pool/runtime';

/**
 * Docker does not run in CI, so the deployment files are checked here instead: they parse, the compose file has
 * the services the README promises, every file it mounts exists, and every metric an alert or a dashboard panel
 * reads is one the api actually exposes (a renamed series would otherwise silently blank a panel or an alert).
 */
const DEPLOY = __dirname;
const read = (path: string): string => readFileSync(join(DEPLOY, path), 'utf8');
const yaml = (path: string): Record<string, unknown> => parse(read(path), { merge: true }) as Record<string, unknown>;

type Service = {
  image?: string;
  build?: unknown;
  entrypoint?: string[];
  env_file?: string | string[];
  extra_hosts?: string[];
  depends_on?: string[] | Record<string, unknown>;
  links?: string[];
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  deploy?: { replicas?: number };
  networks?: string[] | Record<string, { ipv4_address?: string } | null>;
};

/** The networks a service joins (compose allows a list or a map). */
const networksOf = (service: Service): string[] => (Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? {}));

/** Whether an IPv4 address lies in a CIDR block. */
const inCidr = (address: string, cidr: string): boolean => {
  const toNumber = (ip: string): number => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toNumber(address) / size) === Math.floor(toNumber(base) / size);
};

const metricNamesIn = (expr: string): string[] => [...expr.matchAll(/\bpool_[a-z0-9_]+/g)].map((m) => m[0]);

/** `KEY=value` lines of an env file (comments and blanks skipped). */
const envFile = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

/** The variables a compose text references: ${VAR}, ${VAR:?message}, ${VAR:-default} (and not the escaped $${...}). */
const composeVariables = (text: string): Set<string> => new Set([...text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));

/** Compose's interpolation of one value, with `env` as the .env file (what `docker compose config` prints). */
const interpolate = (value: string, env: Record<string, string>): string =>
  value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[?-]([^}]*))?\}/g, (whole, name: string | undefined, fallback: string | undefined) => {
    if (whole === '$$') return '$';
    const set = env[name!];
    if (set !== undefined && set !== '') return set;
    if (whole.includes(':-')) return fallback ?? '';
    throw new Error(`\${${name}} is not set`);
  });

/** A systemd unit as section -> key -> values (keys may repeat). */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const unit: Record<string, Record<string, string[]>> = {};
  let section = '';
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) unit[(section = header[1]!)] ??= {};
    else {
      const [key, ...value] = line.split('=');
      ((unit[section] ??= {})[key!] ??= []).push(value.join('='));
    }
  }
  return unit;
}

describe('infra/deploy', () => {
  let exposed: Set<string>;
  const compose = yaml('docker-compose.yml') as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
    networks: Record<string, { ipam?: { config: { subnet: string; ip_range?: string }[] } } | null>;
  };

  beforeAll(() => {
    // Labelled series appear in the text output only once set; the names come from the registry's declarations.
    exposed = new PoolMetrics().seriesNames();
    expect(exposed).toContain('pool_partial_validation_seconds_bucket');
  });

  it('composes a 3-node EventStoreDB cluster, PostgreSQL, Caddy, api replicas, two workers, a projector, Prometheus and Grafana', () => {
    const services = compose.services;
    expect(Object.keys(services).sort()).toEqual(['alertmanager', 'api', 'caddy', 'eventstore1', 'eventstore2', 'eventstore3', 'grafana', 'postgres', 'projector', 'prometheus', 'worker']);
    for (const node of ['eventstore1', 'eventstore2', 'eventstore3']) {
      const env = services[node]!.environment!;
      expect(services[node]!.image).toMatch(/^eventstore\/eventstore:/);
      expect(env.EVENTSTORE_CLUSTER_SIZE).toBe('3');
      expect(env.EVENTSTORE_GOSSIP_SEED!.split(',').map((s) => s.split(':')[0])).toEqual(['eventstore1', 'eventstore2', 'eventstore3']);
      expect(env.EVENTSTORE_ADVERTISE_HOST_TO_CLIENT_AS).toBe(node);
    }
    const api = services.api!;
    expect(api.deploy?.replicas).toBeGreaterThan(1);
    expect(api.environment!.POOL_EVENT_STORE_URL).toMatch(/^esdb:\/\/[^@]+@eventstore1:2113,eventstore2:2113,eventstore3:2113\?/);
    expect(api.environment!.POOL_READ_MODELS_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
    expect(services.projector!.deploy?.replicas).toBe(1);
    // Two workers: the lease keeps one active, the other takes over; the api holds no lease and no wallet.
    expect(services.worker!.deploy?.replicas).toBe(2);
    expect(services.worker!.environment!.POOL_LOOPS).toBe('true');
    expect(api.environment!.POOL_LOOPS).toBeUndefined();
    // The commands run files the build produces from these sources.
    for (const service of [api, services.worker!, services.projector!]) {
      const script = service.command!.find((arg) => arg.startsWith('dist/'))!;
      expect(existsSync(join(DEPLOY, '..', '..', script.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    }
  });

  it('puts Caddy in front of the api with automatic certificates for POOL_DOMAIN, and the api believes that hop only', () => {
    const caddy = compose.services.caddy!;
    const api = compose.services.api!;
    expect(caddy.image).toMatch(/^caddy:2/);
    // Ports 80 and 443 for the ACME challenges and for farmers; the api itself publishes nothing.
    expect(caddy.ports).toEqual(expect.arrayContaining(['80:80', '443:443']));
    expect(api.ports).toBeUndefined();
    expect(caddy.environment!.POOL_DOMAIN).toMatch(/^\$\{POOL_DOMAIN:\?/);
    expect(caddy.volumes).toContain('./caddy/Caddyfile:/etc/caddy/Caddyfile:ro');
    expect(caddy.volumes!.some((v) => v.endsWith(':/data'))).toBe(true);
    const env = read('.env.example');
    expect(env).toMatch(/^POOL_DOMAIN=/m);
    expect(env).toMatch(/^ACME_EMAIL=/m);

    // The site is the pool's domain (so Caddy obtains its certificate), proxied to every api replica on the api's port.
    const caddyfile = read('caddy/Caddyfile').replace(/#.*$/gm, '');
    expect(caddyfile).toMatch(/^\{\$POOL_DOMAIN\} \{$/m);
    expect(caddyfile).toMatch(/reverse_proxy \{[^]*dynamic a \{[^}]*name api[^}]*port 8080/);
    expect(caddyfile).not.toMatch(/auto_https off|tls internal/);

    // The api trusts exactly Caddy's fixed address on the network they share, outside the range Docker hands out.
    // Read as the api reads it (a bad value would throw ConfigError here).
    const trusted = loadPoolConfig({ POOL_TRUST_PROXY: api.environment!.POOL_TRUST_PROXY! }, undefined).trustProxy;
    const shared = networksOf(caddy).filter((name) => networksOf(api).includes(name));
    expect(shared).toHaveLength(1);
    const network = shared[0]!;
    const caddyAddress = (caddy.networks as Record<string, { ipv4_address?: string }>)[network]!.ipv4_address!;
    expect(trusted).toEqual([caddyAddress]);
    const ipam = compose.networks[network]!.ipam!.config[0]!;
    expect(inCidr(caddyAddress, ipam.subnet)).toBe(true);
    expect(inCidr(caddyAddress, ipam.ip_range!)).toBe(false);
  });

  it('mounts only files that exist (apart from what the operator creates: pool.yaml, certificates, .env)', () => {
    const operatorMade = ['./config/pool.yaml', './certs/'];
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (!source.startsWith('./') || operatorMade.some((p) => source.startsWith(p))) continue;
        expect({ service: name, source, exists: existsSync(join(DEPLOY, source)) }).toEqual({ service: name, source, exists: true });
      }
    }
    expect(existsSync(join(DEPLOY, '.env.example'))).toBe(true);
    // Source folders the image copies as they are (not produced by the build) exist in the repository.
    const copied = [...read('Dockerfile').matchAll(/^COPY --from=build \/app\/(\S+)/gm)].map((m) => m[1]!).filter((p) => !['package.json', 'node_modules', 'dist', 'bin'].includes(p));
    expect(copied).toContain('apps/api/src/dashboard/public');
    for (const path of copied) expect({ path, exists: existsSync(join(DEPLOY, '..', '..', path)) }).toEqual({ path, exists: true });
  });

  it('has Prometheus scrape the api replicas and load the alert rules the compose file mounts', () => {
    const prometheus = yaml('prometheus/prometheus.yml') as { rule_files: string[]; scrape_configs: { job_name: string; metrics_path: string; dns_sd_configs: { names: string[]; port: number }[] }[] };
    const mounts = compose.services.prometheus!.volumes!.map((v) => v.split(':'));
    for (const ruleFile of prometheus.rule_files) expect(mounts.some(([source, target]) => target === ruleFile && existsSync(join(DEPLOY, source!)))).toBe(true);
    const job = prometheus.scrape_configs.find((c) => c.job_name === 'pool-api')!;
    expect(job.metrics_path).toBe('/metrics');
    expect(job.dns_sd_configs[0]).toMatchObject({ names: ['api'], port: 8080 });
  });

  it('alerts on projector lag, missing partials, reorg depth and a stuck payout saga, using exposed metrics only', () => {
    const rules = (yaml('prometheus/alerts.yml') as { groups: { rules: { alert: string; expr: string; labels: { severity: string } }[] }[] }).groups.flatMap((g) => g.rules);
    const names = rules.map((r) => r.alert);
    expect(names).toEqual(expect.arrayContaining(['PoolProjectorLagging', 'PoolNoPartials', 'PoolDeepReorg', 'PoolReorgDepth', 'PoolPayoutSagaStuck']));
    for (const rule of rules) {
      expect(['warning', 'critical']).toContain(rule.labels.severity);
      for (const metric of metricNamesIn(rule.expr)) expect({ alert: rule.alert, metric, exposed: exposed.has(metric) }).toEqual({ alert: rule.alert, metric, exposed: true });
    }
    expect([...new Set(rules.flatMap((r) => metricNamesIn(r.expr)))]).toEqual(
      expect.arrayContaining(['pool_projector_lag_events', 'pool_partials_total', 'pool_chain_reorgs_total', 'pool_payout_oldest_in_flight_seconds']),
    );
  });

  it('provisions Grafana with the Prometheus datasource and a dashboard whose panels read exposed metrics', () => {
    const datasource = (yaml('grafana/provisioning/datasources/prometheus.yml') as { datasources: { uid: string; url: string }[] }).datasources[0]!;
    expect(datasource.url).toBe('http://prometheus:9090');
    const provider = (yaml('grafana/provisioning/dashboards/pool.yml') as { providers: { options: { path: string } }[] }).providers[0]!;
    const grafanaMounts = compose.services.grafana!.volumes!.map((v) => v.split(':'));
    expect(grafanaMounts.some(([source, target]) => target === provider.options.path && source === './grafana/dashboards')).toBe(true);

    const dashboard = JSON.parse(read('grafana/dashboards/chia-pool-ledger.json')) as {
      uid: string;
      panels: { type: string; title: string; datasource?: { uid: string }; targets?: { expr: string }[] }[];
    };
    const panels = dashboard.panels.filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThan(10);
    const used = new Set<string>();
    for (const panel of panels) {
      expect(panel.datasource?.uid).toBe(datasource.uid);
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const target of panel.targets!) {
        const metrics = metricNamesIn(target.expr);
        expect(metrics.length).toBeGreaterThan(0);
        for (const metric of metrics) {
          used.add(metric);
          expect({ panel: panel.title, metric, exposed: exposed.has(metric) }).toEqual({ panel: panel.title, metric, exposed: true });
        }
      }
    }
    // Every pool series the brief asks for has a panel.
    for (const metric of [
      'pool_partials_total',
      'pool_partial_validation_seconds_bucket',
      'pool_event_store_append_seconds_bucket',
      'pool_projector_lag_events',
      'pool_chain_peak_height',
      'pool_chain_reorgs_total',
      'pool_rewards_total',
      'pool_payouts_total',
      'pool_payout_saga_paused',
    ]) {
      expect(used).toContain(metric);
    }
  });

  describe('the compose file as Docker would read it', () => {
    const text = read('docker-compose.yml');
    const example = envFile(read('.env.example'));
    const services = compose.services;
    const names = new Set(Object.keys(services));

    it('pins every image to a version (no latest, no bare name); the one built here is named, not pulled', () => {
      for (const [name, service] of Object.entries(services)) {
        const image = service.image ?? '';
        const tag = /^[^:/]+(?:\/[^:]+)*:([^:/@]+)$/.exec(image)?.[1];
        expect({ service: name, image, pinned: tag !== undefined && tag !== 'latest' }).toEqual({ service: name, image, pinned: true });
        if (tag === 'local') expect(service.build).toBeDefined();
      }
    });

    it('maps ports as [address:]host:container[/protocol], each a valid port', () => {
      const portNumber = (p: string): boolean => /^\d{1,5}$/.test(p) && Number(p) >= 1 && Number(p) <= 65_535;
      for (const [name, service] of Object.entries(services)) {
        for (const mapping of service.ports ?? []) {
          const m = /^(?:(\d{1,3}(?:\.\d{1,3}){3}):)?(\d+):(\d+)(?:\/(tcp|udp))?$/.exec(mapping);
          const ok = m !== null && portNumber(m[2]!) && portNumber(m[3]!) && (m[1] === undefined || m[1].split('.').every((o) => Number(o) <= 255));
          expect({ service: name, mapping, ok }).toEqual({ service: name, mapping, ok: true });
        }
      }
    });

    it('mounts named volumes it declares, files of this folder, or a host path the operator names in .env', () => {
      for (const [name, service] of Object.entries(services)) {
        for (const volume of service.volumes ?? []) {
          const source = volume.split(':')[0]!;
          // A required variable (${VAR:?message}) is a host path the operator sets; .env.example must name it.
          const variable = /^\$\{([A-Z_]+):\?[^}]*\}:/.exec(volume)?.[1];
          if (variable !== undefined) expect({ service: name, variable, inEnvExample: variable in example }).toEqual({ service: name, variable, inEnvExample: true });
          const kind = variable !== undefined ? 'variable' : source.startsWith('./') ? 'path' : /^[a-z0-9][a-z0-9_.-]*$/.test(source) ? 'named' : 'other';
          expect({ service: name, volume, kind: kind === 'other' ? 'other' : 'ok' }).toEqual({ service: name, volume, kind: 'ok' });
          if (kind === 'named') expect({ service: name, volume, declared: source in compose.volumes }).toEqual({ service: name, volume, declared: true });
        }
      }
    });

    it('takes every variable it references from .env.example', () => {
      const referenced = [...composeVariables(text)];
      expect(referenced.length).toBeGreaterThan(3);
      for (const variable of referenced) expect({ variable, inEnvExample: variable in example }).toEqual({ variable, inEnvExample: true });
    });

    it('names only services it defines: depends_on, links, Prometheus scrape and alerting targets, Grafana and Caddy upstreams', () => {
      const named: { by: string; service: string }[] = [];
      for (const [name, service] of Object.entries(services)) {
        const dependsOn = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
        for (const dependency of dependsOn) named.push({ by: `${name}.depends_on`, service: dependency });
        for (const link of service.links ?? []) named.push({ by: `${name}.links`, service: link.split(':')[0]! });
      }
      const prometheus = yaml('prometheus/prometheus.yml') as {
        scrape_configs: { job_name: string; dns_sd_configs?: { names: string[] }[]; static_configs?: { targets: string[] }[] }[];
        alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
      };
      for (const job of prometheus.scrape_configs) {
        for (const sd of job.dns_sd_configs ?? []) for (const host of sd.names) named.push({ by: `scrape ${job.job_name}`, service: host });
        for (const target of (job.static_configs ?? []).flatMap((c) => c.targets)) named.push({ by: `scrape ${job.job_name}`, service: target.split(':')[0]! });
      }
      for (const target of prometheus.alerting.alertmanagers.flatMap((a) => a.static_configs).flatMap((c) => c.targets)) named.push({ by: 'prometheus alerting', service: target.split(':')[0]! });
      const datasource = (yaml('grafana/provisioning/datasources/prometheus.yml') as { datasources: { url: string }[] }).datasources[0]!;
      named.push({ by: 'grafana datasource', service: new URL(datasource.url).hostname });
      for (const m of read('caddy/Caddyfile').matchAll(/^\s*name (\S+)$/gm)) named.push({ by: 'Caddyfile', service: m[1]! });
      expect(named.length).toBeGreaterThan(10);
      for (const { by, service } of named) expect({ by, service, defined: names.has(service) }).toEqual({ by, service, defined: true });
    });

    it('sends alerts somewhere: Prometheus alerts Alertmanager, whose route ends at a configured webhook or e-mail receiver', () => {
      const prometheus = yaml('prometheus/prometheus.yml') as { rule_files: string[]; alerting?: { alertmanagers: { static_configs: { targets: string[] }[] }[] } };
      expect(prometheus.rule_files.length).toBeGreaterThan(0);
      const targets = (prometheus.alerting?.alertmanagers ?? []).flatMap((a) => a.static_configs).flatMap((c) => c.targets);
      expect(targets).toEqual(['alertmanager:9093']);
      const alertmanager = services.alertmanager!;
      expect(alertmanager.volumes).toContain('./alertmanager/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro');
      expect(networksOf(alertmanager).some((n) => networksOf(services.prometheus!).includes(n))).toBe(true);

      const config = yaml('alertmanager/alertmanager.yml') as {
        route: { receiver: string; routes?: { receiver: string }[] };
        receivers: { name: string; webhook_configs?: { url?: string; url_file?: string }[]; email_configs?: { to: string }[] }[];
      };
      const receivers = new Map(config.receivers.map((r) => [r.name, r]));
      for (const receiver of [config.route.receiver, ...(config.route.routes ?? []).map((r) => r.receiver)]) {
        const r = receivers.get(receiver);
        expect({ receiver, delivers: (r?.webhook_configs?.length ?? 0) + (r?.email_configs?.length ?? 0) > 0 }).toEqual({ receiver, delivers: true });
      }
      // The webhook URL comes from .env: the entrypoint writes ALERT_WEBHOOK_URL to the file the receiver reads.
      const webhook = receivers.get(config.route.receiver)!.webhook_configs![0]!;
      const entrypoint = alertmanager.entrypoint!.join(' ');
      expect(entrypoint).toContain(`"$$ALERT_WEBHOOK_URL" > ${webhook.url_file}`);
      expect(entrypoint).toMatch(/exec \/bin\/alertmanager --config\.file=\/etc\/alertmanager\/alertmanager\.yml /);
      expect(alertmanager.environment!.ALERT_WEBHOOK_URL).toMatch(/^\$\{ALERT_WEBHOOK_URL:\?/);
      expect(new URL(example.ALERT_WEBHOOK_URL!).protocol).toBe('https:');
    });

    it('lets every service that reaches the host resolve host.docker.internal on Linux (host-gateway)', () => {
      const env = read('.env.example');
      const reachesHost = Object.entries(services).filter(([, service]) => {
        const fromEnvFile = [service.env_file ?? []].flat().includes('.env') && env.includes('host.docker.internal');
        return fromEnvFile || Object.values(service.environment ?? {}).some((v) => String(v).includes('host.docker.internal'));
      });
      expect(reachesHost.map(([name]) => name).sort()).toEqual(['api', 'projector', 'worker']);
      for (const [name, service] of reachesHost) {
        expect({ service: name, extraHosts: service.extra_hosts ?? [] }).toEqual({ service: name, extraHosts: expect.arrayContaining(['host.docker.internal:host-gateway']) });
      }
    });

    it('connects to EventStoreDB with the credentials its nodes are given (no anonymous access since 23.10)', () => {
      // The client's own parser: the credentials must survive it, not merely appear in the text.
      for (const name of ['api', 'worker', 'projector']) {
        const url = interpolate(services[name]!.environment!.POOL_EVENT_STORE_URL!, example);
        const parsed = parseConnectionString(url);
        expect(parsed.defaultCredentials).toEqual({ username: 'admin', password: example.ESDB_PASSWORD });
        expect(parsed.hosts.map((h) => h.address)).toEqual(['eventstore1', 'eventstore2', 'eventstore3']);
      }
      for (const node of ['eventstore1', 'eventstore2', 'eventstore3']) {
        expect(services[node]!.environment!.EVENTSTORE_DEFAULT_ADMIN_PASSWORD).toBe('${ESDB_PASSWORD:?set ESDB_PASSWORD in .env}');
      }
    });

    it('builds the image on a supported Node LTS that package.json engines allows', () => {
      const majors = [...read('Dockerfile').matchAll(/^FROM node:(\d+)[-.\w]*/gm)].map((m) => Number(m[1]));
      expect(majors.length).toBeGreaterThan(0);
      const engines = (JSON.parse(readFileSync(join(DEPLOY, '..', '..', 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
      const minimum = Number(/^>=\s*(\d+)/.exec(engines)?.[1]);
      for (const major of majors) {
        // Even majors are the LTS lines; 20 reached end of life in April 2026.
        expect({ major, lts: major % 2 === 0, supported: major >= 22, allowedByEngines: major >= minimum }).toEqual({ major, lts: true, supported: true, allowedByEngines: true });
      }
    });

    it('passes `docker compose config` with .env.example as .env (where the tool is installed)', () => {
      const compose2 = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
      const compose1 = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
      const tool = compose2.status === 0 ? ['docker', 'compose'] : compose1.status === 0 ? ['docker-compose'] : undefined;
      if (tool === undefined) {
        console.log('[skip] docker compose config: neither `docker compose` nor `docker-compose` is installed (apt-get install docker-compose)');
        return;
      }
      const dir = mkdtempSync(join(tmpdir(), 'compose-config-'));
      try {
        // Compose v1 (Debian's docker-compose 1.29) predates the top-level `name`; everything else it validates.
        writeFileSync(join(dir, 'docker-compose.yml'), tool.length === 1 ? text.replace(/^name: .*$/m, '') : text);
        writeFileSync(join(dir, '.env'), read('.env.example'));
        execFileSync(tool[0]!, [...tool.slice(1), 'config', '--quiet'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('systemd units (running without containers)', () => {
    const units = readdirSync(join(DEPLOY, 'systemd')).filter((f) => f.endsWith('.service'));

    it('has a unit for the combined pool and for each app', () => {
      expect(units.sort()).toEqual(['chia-pool-api.service', 'chia-pool-projector.service', 'chia-pool-worker.service', 'chia-pool.service']);
    });

    it.each(units)('%s runs a script the build produces, as an unprivileged user, from an environment file, hardened', (file) => {
      const unit = parseUnit(read(`systemd/${file}`));
      const service = unit.Service!;
      const [node, script, ...args] = service.ExecStart![0]!.split(' ');
      expect(node).toBe('/usr/bin/node');
      expect(existsSync(join(DEPLOY, '..', '..', script!.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
      if (file === 'chia-pool.service') expect(args).toEqual(['start']);
      expect(service.User?.[0]).toBe('chia-pool');
      expect(service.EnvironmentFile).toEqual(['/etc/chia-pool/pool.env']);
      expect(service.StateDirectory).toEqual(['chia-pool']);
      for (const [key, value] of Object.entries({ NoNewPrivileges: 'yes', ProtectSystem: 'strict', ProtectHome: 'read-only', PrivateTmp: 'yes', PrivateDevices: 'yes', CapabilityBoundingSet: '', RestrictSUIDSGID: 'yes', SystemCallArchitectures: 'native' })) {
        expect({ key, value: service[key]?.[0] }).toEqual({ key, value });
      }
      expect(unit.Install!.WantedBy).toEqual(['multi-user.target']);
      // The environment file example sets what the units leave to it, and POOL_DATA_DIR is the state directory.
      const env = envFile(read('systemd/pool.env.example'));
      expect(env.POOL_CONFIG_FILE).toBe('/etc/chia-pool/pool.yaml');
      expect(env.POOL_DATA_DIR).toBe(`/var/lib/${service.StateDirectory![0]}`);
    });

    it('passes systemd-analyze verify (where systemd is installed)', () => {
      if (spawnSync('systemd-analyze', ['--version']).status !== 0) {
        console.log('[skip] systemd-analyze verify: systemd-analyze is not installed');
        return;
      }
      for (const file of units) {
        const result = spawnSync('systemd-analyze', ['verify', '--man=no', join(DEPLOY, 'systemd', file)], { encoding: 'utf8' });
        // Executables missing on this machine (/usr/bin/node elsewhere) are not the unit's fault.
        const problems = `${result.stderr}`.split('\n').filter((l) => l.trim() !== '' && !/is not executable|No such file or directory|Command .* is not executable/.test(l));
        expect({ file, problems }).toEqual({ file, problems: [] });
      }
    });
  });
});
