import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type * as activities from './activities';

const { recordReceived } = proxyActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });

/** Closes a reference dossier's workflow (not used by the benchmark, which leaves them open like the product's). */
export const closeReferenceDossier = defineSignal('closeReferenceDossier');

/** The reference's workflow: its first task writes one row through an activity, then it waits, open, like a dossier. */
export async function referenceDossierWorkflow(input: { code: string }): Promise<void> {
  let closed = false;
  setHandler(closeReferenceDossier, () => void (closed = true));
  await recordReceived(input.code);
  await condition(() => closed);
}
