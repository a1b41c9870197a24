import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, Runtime, type WorkerOptions } from '@temporalio/worker';

/**
 * Interceptor modules bundled with the workflows: the trace of the API's start, Update or signal carried on to the
 * activities the workflow schedules (headers only: no command changes, so the recorded histories replay).
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../../../workflows/trace-propagation.interceptors')];

/**
 * The pure libraries the workflows use (the domain's rules and types, the working calendar), evaluated once per
 * workflow thread and shared by every workflow on it, instead of once per workflow: they hold no workflow's state
 * (their module-level caches are pure: a time zone's offsets, formatters) and call no workflow API at load. The
 * SDK freezes what they export. About a tenth of a workflow thread's time went to evaluating them again for each
 * new dossier (bench:intake --profile).
 */
export const WORKFLOW_PRELOAD_MODULES = [
  require.resolve('../../../libs/domain/src'),
  require.resolve('../../../libs/calendar/src'),
];

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
      preloadModules: WORKFLOW_PRELOAD_MODULES,
      logger: Runtime.instance().logger,
    }),
  };
}
