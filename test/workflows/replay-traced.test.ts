import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOW_PRELOAD_MODULES } from '../../apps/worker/src/workflows-source';
import { testDataConverter } from '../support/payload-keys';

const noop = (): void => undefined;

/**
 * The worker's bundle carries the trace-propagation interceptors (workflows/trace-propagation.interceptors.ts): every
 * committed history, recorded without them, still replays with them in, so running dossiers survive the upgrade.
 * (OpenTelemetry's own workflow interceptors fail this: their awaits around Update handlers reorder the commands of
 * the partner histories.)
 */
describe('replay of committed histories with the trace-propagation interceptors bundled', () => {
  const dir = join(__dirname, 'histories');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
      preloadModules: WORKFLOW_PRELOAD_MODULES,
      logger: { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop },
    });
  });

  it('bundles the interceptors', () => {
    expect(bundle.code).toContain('InboundTracePropagation');
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: bundle, dataConverter: testDataConverter() },
        history,
        file.replace(/\.json$/, ''),
      ),
    ).resolves.toBeUndefined();
  });
});
