import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type WorkerOptions } from '@temporalio/worker';

/**
 * The workflow code the worker runs: a bundle prebuilt by `npm run build` when present (fast start, identical
 * code on every replica), otherwise the sources, bundled at start.
 */
export function workflowsSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const prebuilt = join(__dirname, '..', '..', '..', 'workflow-bundle.js');
  if (existsSync(prebuilt)) {
    return { workflowBundle: { codePath: prebuilt } };
  }
  return { workflowsPath: require.resolve('../../../workflows') };
}
