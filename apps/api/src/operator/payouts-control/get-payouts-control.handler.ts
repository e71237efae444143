import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { readPayoutsControl } from '@pool/commands';
import { type EventStore } from '@pool/event-sourcing';
import { EVENT_STORE } from '@pool/runtime';
import { PayoutsControlResponse } from './payouts-control.response';
import { GetPayoutsControlQuery } from './get-payouts-control.query';

@QueryHandler(GetPayoutsControlQuery)
export class GetPayoutsControlHandler implements IQueryHandler<GetPayoutsControlQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(): Promise<PayoutsControlResponse> {
    return PayoutsControlResponse.of(await readPayoutsControl(this.store));
  }
}
