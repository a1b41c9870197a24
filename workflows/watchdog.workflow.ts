import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { WatchdogActivities, WatchdogFindingCounts } from '../activities/watchdog.activities';
import { type WatchdogRunState, type WatchdogRunSummary } from './watchdog.types';

export * from './watchdog.types';

/** Open dossiers compared per activity (each heartbeats), and pages per run before it continues as new. */
const PAGE = 200;
const PAGES_PER_RUN = 500;

const { reconcileDossierPage, reconcileOutbox } = proxyActivities<WatchdogActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', maximumInterval: '2 minutes', maximumAttempts: 5 },
});

const add = (a: WatchdogFindingCounts, b: WatchdogFindingCounts): WatchdogFindingCounts => {
  const sum = { ...a };
  for (const [kind, n] of Object.entries(b)) {
    sum[kind] = (sum[kind] ?? 0) + (n ?? 0);
  }
  return sum;
};

/**
 * Compares PostgreSQL with the workflows, page by page over the open dossiers (a cursor by id, bounded pages), then
 * the outbox; each finding is repaired where that is safe and recorded either way. Started by the watchdog Schedule
 * (overlap SKIP); a province's worth of open dossiers continues as new every PAGES_PER_RUN pages.
 */
export async function deadlineWatchdogWorkflow(
  state: WatchdogRunState = { afterId: null, scanned: 0, findings: {}, repaired: 0 },
): Promise<WatchdogRunSummary> {
  let { afterId, scanned, findings, repaired } = state;
  for (let page = 0; page < PAGES_PER_RUN; page += 1) {
    const result = await reconcileDossierPage({ afterId, limit: PAGE });
    scanned += result.scanned;
    findings = add(findings, result.findings);
    repaired += result.repaired;
    afterId = result.nextAfterId;
    if (afterId === null) {
      const outbox = await reconcileOutbox();
      return { scanned, findings: add(findings, outbox.findings), repaired: repaired + outbox.repaired };
    }
  }
  return continueAsNew<typeof deadlineWatchdogWorkflow>({ afterId, scanned, findings, repaired });
}
