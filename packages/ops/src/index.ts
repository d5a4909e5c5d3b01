export type { LedgerEventFilter } from "./ledger-event-filter";
export {
  countLedgerEvents,
  findLedgerEvents,
  ledgerEventWhere,
  pageLedgerEvents,
  searchLedgerEvents,
  type LedgerEvent,
  type LimitedFilter,
  type SearchCursor,
  type SearchPage,
} from "./select-ledger-events";
export { replayLedgerEvent, replayOrReport, type EventResult } from "./replay-ledger-event";
export { isReplayable, REPLAYABLE_STATUSES, type ReplayableStatus } from "./replayable-statuses";
export { countResult, emptyTally, type ReplayTally } from "./replay-tally";
export { replayAction } from "./replay-action";
