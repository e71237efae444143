import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
    expect(Object.keys(services).sort()).toEqual(['api', 'caddy', 'eventstore1', 'eventstore2', 'eventstore3', 'grafana', 'postgres', 'projector', 'prometheus', 'worker']);
    for (const node of ['eventstore1', 'eventstore2', 'eventstore3']) {
      const env = services[node]!.environment!;
      expect(services[node]!.image).toMatch(/^eventstore\/eventstore:/);
      expect(env.EVENTSTORE_CLUSTER_SIZE).toBe('3');
      expect(env.EVENTSTORE_GOSSIP_SEED!.split(',').map((s) => s.split(':')[0])).toEqual(['eventstore1', 'eventstore2', 'eventstore3']);
      expect(env.EVENTSTORE_ADVERTISE_HOST_TO_CLIENT_AS).toBe(node);
    }
    const api = services.api!;
    expect(api.deploy?.replicas).toBeGreaterThan(1);
    expect(api.environment!.POOL_EVENT_STORE_URL).toMatch(/^esdb:\/\/eventstore1:2113,eventstore2:2113,eventstore3:2113\?/);
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
});
