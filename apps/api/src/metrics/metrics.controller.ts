import { Controller, Get, Header } from '@nestjs/common';
import { MetricsCollector } from './metrics-collector';
import { PoolMetrics } from '@pool/runtime';

/** GET /metrics in Prometheus's text format. */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: PoolMetrics,
    private readonly collector: MetricsCollector,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async scrape(): Promise<string> {
    await this.collector.collect();
    return this.metrics.registry.metrics();
  }
}
