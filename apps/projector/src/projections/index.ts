import type { Projection } from '../projection';
import { farmerPointsProjection } from './farmer-points.projection';

/** Every projection the projector keeps live. */
export const allProjections: readonly Projection[] = [farmerPointsProjection];

export { farmerPointsProjection };
