import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, Runtime, type WorkerOptions } from '@temporalio/worker';

/**
 * Interceptor modules bundled with the workflows: the trace of the API's start, Update or signal carried on to the
 * activities the workflow schedules (headers only: no command changes, so the recorded histories replay).
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../../../workflows/trace-propagation.interceptors')];

/**
 * The workflow code the worker runs: a bundle prebuilt by `npm run build` when present (fast start, identical
 * code on every replica), otherwise the sources, bundled once at start for all the worker's task queues.
 */
export async function workflowsSource(): Promise<Pick<WorkerOptions, 'workflowBundle'>> {
  const prebuilt = join(__dirname, '..', '..', '..', 'workflow-bundle.js');
  if (existsSync(prebuilt)) {
    return { workflowBundle: { codePath: prebuilt } };
  }
  return {
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: require.resolve('../../../workflows'),
      workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
      logger: Runtime.instance().logger,
    }),
  };
}
