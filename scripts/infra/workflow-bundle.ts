import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOW_PRELOAD_MODULES } from '../../apps/worker/src/workflows-source';

function newestMtime(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
    const path = join(dir, entry.name);
    return Math.max(max, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }, 0);
}

/**
 * Prebuilds the workflow bundle next to the compiled code so workers start without webpack; rebuilt only when
 * the compiled workflow side (workflows/, libs/domain, libs/calendar) is newer than the bundle.
 */
export async function ensureWorkflowBundle(distDir: string): Promise<string> {
  const target = join(distDir, 'workflow-bundle.js');
  const sources = ['workflows', 'libs/domain', 'libs/calendar'].map((d) => join(distDir, d)).filter(existsSync);
  // This file counts as a source too: what it bundles (the interceptor and preloaded modules) may change without the
  // workflows.
  const newest = Math.max(...sources.map(newestMtime), statSync(__filename).mtimeMs);
  if (existsSync(target) && statSync(target).mtimeMs >= newest) {
    return target;
  }
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve(join(distDir, 'workflows')),
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    preloadModules: WORKFLOW_PRELOAD_MODULES,
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (m) => console.error(m),
    },
  });
  writeFileSync(target, code);
  return target;
}
