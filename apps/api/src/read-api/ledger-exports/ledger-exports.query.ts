import { Query } from '@nestjs/cqrs';
import type { Readable } from 'node:stream';
import type { ClosedPeriodResponse, ClosedPeriodsResponse } from './ledger-exports.response';

/** GET /api/ledger/exports: the closed periods (seals at payout plans) whose exports can be fetched. */
export class ClosedPeriodsQuery extends Query<ClosedPeriodsResponse> {}

/** What GET /api/ledger/exports/:sequence streams: the export through that seal, gzip. */
export interface LedgerExportDownload {
  period: ClosedPeriodResponse;
  /** The gzip bytes; nothing is read from the store until it is consumed. */
  stream: Readable;
}

export class LedgerExportQuery extends Query<LedgerExportDownload> {
  constructor(readonly sequence: number) {
    super();
  }
}
