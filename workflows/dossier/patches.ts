/**
 * Changes to the rules of released workflows, each behind a `patched()` marker: the dossier workflow asks for each
 * once, when it starts, and a dossier started before a change keeps the rule it started with (its history replays).
 * A segment's child workflow takes its dossier's answers with its input.
 */
export const MACHINE_PATCHES = {
  /** A procedure returned at once: the desk hands the result over from its one step, judged on the day, no ladder. */
  immediateReturn: 'immediate-return',
  /** A withdrawal (or closing) while a partner system has a segment ends that segment, marked how it ended. */
  segmentOutcomes: 'segment-outcomes',
  /** The result goes back at the desk that received the dossier (one-stop), not at the last agency's. */
  returnAtReceivingDesk: 'return-at-receiving-desk',
  /** Form 04 signed by the handling agency's head or deputy, refusals by the competent leader (procedure rules). */
  signatories: 'signatories',
  /** The procedure's limit of supplement requests counts the dossier's, not each segment's. */
  supplementsPerDossier: 'supplements-per-dossier',
  /**
   * The timers due by the time of an officer's action fire before it: after a worker outage the action (an Update
   * delivered again) and the timers land in one activation, and the action came first, so a step completed past its
   * due time had no rung and no breach.
   */
  timersBeforeActions: 'timers-before-actions',
  /** The payment gateway's confirmed notification records an online payment itself, as the system actor it is. */
  paymentGateway: 'payment-gateway-records-payment',
} as const;

export type MachinePatch = keyof typeof MACHINE_PATCHES;
/** Which rule changes a dossier runs with. */
export type Patches = Record<MachinePatch, boolean>;

const every = (on: boolean): Patches => Object.fromEntries(Object.keys(MACHINE_PATCHES).map((k) => [k, on])) as Patches;

/** Every change in force: a dossier started now (and the machine's specs). */
export const ALL_PATCHES: Patches = every(true);
/** None: a dossier (or segment) started before the changes. */
export const NO_PATCHES: Patches = every(false);

/** Asks `patched` about every change, in a fixed order (the markers a new execution records). */
export const decidePatches = (patched: (id: string) => boolean): Patches =>
  Object.fromEntries(Object.entries(MACHINE_PATCHES).map(([k, id]) => [k, patched(id)])) as Patches;
