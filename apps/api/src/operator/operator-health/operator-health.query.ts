import { Query } from '@nestjs/cqrs';
import { type OperatorHealthResponse } from './operator-health.response';

/** The operator's view of the pool's health: more than /health/ready may show the public. */
export class OperatorHealthQuery extends Query<OperatorHealthResponse> {}
