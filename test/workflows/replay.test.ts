import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/workflow-worker';

/**
 * Every committed history of a released workflow version must replay on the current code: a change that would
 * break a running dossier fails here (fix it with `patched()`).
 */
describe('replay of committed histories', () => {
  const dir = join(__dirname, 'histories');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  // Each path of the dossier's clock keeps a history of its own (recorded by dossier-paths.workflow.test.ts).
  it.each([
    'dossier-workflow-v4-example-a-supplement-pause.json',
    'dossier-workflow-v4-example-a-supplement-restart.json',
    'dossier-workflow-v4-example-a-extension.json',
    'dossier-workflow-v4-example-a-calendar-change.json',
    'dossier-workflow-v4-example-a-withdrawal.json',
    // The rules of issue 15, each behind its patch (workflows/dossier/patches.ts).
    'dossier-workflow-v5-immediate-return.json',
    'dossier-workflow-v5-example-b-segments.json',
    'agency-segment-v2-example-b-police.json',
    'dossier-workflow-v5-example-b-partner.json',
    'dossier-workflow-v5-example-b-partner-withdrawal.json',
    'dossier-workflow-v5-example-a-clock-as-law.json',
  ])('keeps %s', (file) => {
    expect(files).toContain(file);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file.replace(/\.json$/, '')),
    ).resolves.toBeUndefined();
  });
});
