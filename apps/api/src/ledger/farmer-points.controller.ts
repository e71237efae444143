import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { type ReadModelDatabase } from '@pool/read-models';
import { READ_MODELS } from '@pool/runtime';

/** Read side only: answers from the farmer_points projection, never from the ledger's write path. */
@Controller('api/farmers')
export class FarmerPointsController {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelDatabase) {}

  @Get(':launcherId/points')
  async points(@Param('launcherId') launcherId: string): Promise<object> {
    const id = launcherId.toLowerCase().replace(/^0x/, '');
    const [row] = await this.readModels.executor().query<Record<string, string | number | null>>(
      'SELECT * FROM farmer_points WHERE launcher_id = ?',
      [id],
    );
    if (!row) throw new NotFoundException(`no points recorded for launcher ${id}`);
    return {
      launcherId: id,
      pendingPoints: String(row.pending_points),
      confirmedPoints: String(row.confirmed_points),
      revertedPoints: String(row.reverted_points),
      partials: { submitted: Number(row.partials_submitted), confirmed: Number(row.partials_confirmed), reverted: Number(row.partials_reverted) },
      lastPartialAt: row.last_partial_at === null ? null : Number(row.last_partial_at),
    };
  }
}
