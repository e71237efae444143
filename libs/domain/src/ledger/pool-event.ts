import { type EventDecoder, type RecordedEvent } from '@pool/event-sourcing';
import type { BooksEvent } from '../books-closing/books-closing.events';
import type { ChainEvent } from '../chain/chain.events';
import type { FarmerEvent } from '../farmers/farmer.events';
import type { LedgerEvent } from '../ledger-seals/ledger-seal.events';
import type { PartialEvent } from '../partials/partial.events';
import { PARTIAL_SUBMITTED_SCHEMA_VERSION, upcastPartialSubmitted } from '../partials/partial-submitted.schema';
import { PAYOUT_PLANNED_SCHEMA_VERSION, upcastPayoutPlanned } from '../payouts/payout-planned.schema';
import type { PayoutEvent, PayoutsControlEvent } from '../payouts/payout.events';
import type { RefusalEvent } from '../refusals/refusal.events';
import type { RewardEvent } from '../rewards/reward.events';

/** Each capability's event union: the one place a new event type is added (beside its interface). */
interface EventsByCapability {
  farmer: FarmerEvent;
  partial: PartialEvent;
  reward: RewardEvent;
  payout: PayoutEvent;
  payoutsControl: PayoutsControlEvent;
  chain: ChainEvent;
  refusal: RefusalEvent;
  ledger: LedgerEvent;
  books: BooksEvent;
}
export type Capability = keyof EventsByCapability;

/** Every fact the ledger records. */
export type PoolEvent = EventsByCapability[Capability];
export type PoolEventType = PoolEvent['type'];
export type PoolEventOf<Type extends PoolEventType> = Extract<PoolEvent, { type: Type }>;

type CapabilityOf<Type extends PoolEventType> = { [C in Capability]: Type extends EventsByCapability[C]['type'] ? C : never }[Capability];

/**
 * Every event type, with its capability. The compiler refuses a type missing here, one that is not in the union,
 * and one filed under the wrong capability, so the type lists below can never miss a new event.
 */
const CAPABILITY_OF = {
  FarmerRegistered: 'farmer',
  FarmerUpdated: 'farmer',
  DifficultyChanged: 'farmer',
  FarmerLeftPool: 'farmer',
  FarmerRejoinedPool: 'farmer',
  FarmerDisplayNameSet: 'farmer',
  FarmerMinimumPayoutSet: 'farmer',
  PartialSubmitted: 'partial',
  PartialConfirmed: 'partial',
  PartialReverted: 'partial',
  RewardDetected: 'reward',
  RewardAbsorbed: 'reward',
  RewardReverted: 'reward',
  PayoutPlanned: 'payout',
  PayoutSigned: 'payout',
  PayoutSent: 'payout',
  PayoutFeeBumped: 'payout',
  PayoutConfirmed: 'payout',
  PayoutFailed: 'payout',
  PayoutResolved: 'payout',
  PayoutsPaused: 'payoutsControl',
  PayoutsResumed: 'payoutsControl',
  ChainReorgDetected: 'chain',
  PartialRefused: 'refusal',
  LedgerSealed: 'ledger',
  BooksClosed: 'books',
} as const satisfies { [Type in PoolEventType]: CapabilityOf<Type> };

const POOL_EVENT_TYPES = Object.keys(CAPABILITY_OF) as PoolEventType[];

/** The event types of one capability, in declaration order (derived: nothing to keep in step by hand). */
export function eventTypesOf<C extends Capability>(capability: C): readonly EventsByCapability[C]['type'][] {
  return POOL_EVENT_TYPES.filter((type) => CAPABILITY_OF[type] === capability) as EventsByCapability[C]['type'][];
}

/**
 * The event types of these capabilities except the ones named: a reader that folds "everything of payouts but ..."
 * follows every new event of those capabilities, and its exhaustive switch makes it handle each one.
 */
export function eventTypesExcept<C extends Capability, const Skipped extends EventsByCapability[C]['type']>(
  capabilities: readonly C[],
  skipped: readonly Skipped[],
): readonly Exclude<EventsByCapability[C]['type'], Skipped>[] {
  return capabilities.flatMap((capability) => eventTypesOf(capability)).filter((type) => !(skipped as readonly string[]).includes(type)) as Exclude<
    EventsByCapability[C]['type'],
    Skipped
  >[];
}

function isPoolEventType(type: string): type is PoolEventType {
  return Object.prototype.hasOwnProperty.call(CAPABILITY_OF, type);
}

/**
 * The schema version new events of a type are written at. A type's version goes up when what it records changes;
 * its upcaster in decodePoolEvent then turns every older version into the current shape.
 */
export function currentSchemaVersion(type: PoolEventType): number {
  if (type === 'PartialSubmitted') return PARTIAL_SUBMITTED_SCHEMA_VERSION;
  return type === 'PayoutPlanned' ? PAYOUT_PLANNED_SCHEMA_VERSION : 1;
}

/**
 * A recorded event as the domain's union (in the current shape of its type), or undefined for a type this version
 * does not know. The upcasters live here, so every reader gets them: PartialSubmitted 1 -> 2 (PartialOrigin null),
 * PayoutPlanned 1 -> 2 (predicted coin ids kept as LegacyPredictedCoins).
 * A record without a schema version is at 1, as the stores default it.
 */
export function decodePoolEvent(recorded: Pick<RecordedEvent, 'type' | 'data'> & { schemaVersion?: number }): PoolEvent | undefined {
  if (!isPoolEventType(recorded.type)) return undefined;
  const schemaVersion = recorded.schemaVersion ?? 1;
  if (recorded.type === 'PartialSubmitted') {
    return { type: 'PartialSubmitted', data: upcastPartialSubmitted(recorded.data as Parameters<typeof upcastPartialSubmitted>[0], schemaVersion) };
  }
  if (recorded.type === 'PayoutPlanned') return { type: 'PayoutPlanned', data: upcastPayoutPlanned(recorded.data as Parameters<typeof upcastPayoutPlanned>[0]) };
  return { type: recorded.type, data: recorded.data } as PoolEvent;
}

/**
 * What a reader of these event types gives the LedgerFollower: the store's type filter and a decoder whose events
 * are typed by exactly those types, so the reader's switch is checked by the compiler and needs no cast.
 */
export function poolEvents<const Type extends PoolEventType>(...types: readonly Type[]): { types: readonly Type[]; decode: EventDecoder<PoolEventOf<Type>> } {
  const wanted = new Set<string>(types);
  return { types, decode: (recorded) => (wanted.has(recorded.type) ? (decodePoolEvent(recorded) as PoolEventOf<Type>) : undefined) };
}
