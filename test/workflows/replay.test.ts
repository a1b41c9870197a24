import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  historyFromJSON,
  historyToJSON,
  type JSONPayload,
  JSONToPayload,
  payloadToJSON,
} from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { EncryptionCodec } from '../../libs/temporal-codec/src';
import { readableHistoryJSON, testDataConverter, testKeyring } from '../support/payload-keys';
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
    // Transitions stored by a regular activity, scheduled from the durable history (DURABLE_TRANSITIONS_PATCH).
    'dossier-workflow-v6-example-a-durable-transitions.json',
    // Issue 18: the payment gateway records an online payment (payment-gateway patch).
    'dossier-workflow-v6-example-a-payment-gateway.json',
    // Every rule above under one marker, an action's transitions on the actions' queue (CURRENT_RULES_PATCH).
    'dossier-workflow-v7-example-a-current-rules.json',
    // The calendar handed over in the input, loaded again only on an edit (CALENDAR_IN_INPUT_PATCH).
    'dossier-workflow-v8-example-a-calendar-in-input.json',
    // Release 1 of the rules named in the input: no marker, no upsert per change (DOSSIER_WORKFLOW_RELEASE).
    'dossier-workflow-v9-example-a-release-1.json',
    // Release 2: each agency's segment starts with the dossier's calendar in its input (SEGMENT_CALENDAR_PATCH).
    'dossier-workflow-v10-example-b-release-2.json',
    'agency-segment-v3-example-b-police-calendar-in-input.json',
    // The nightly retention run before and after it purges stored scans (PURGE_STORED_SCANS_PATCH).
    'retention-workflow-v1.json',
    'retention-workflow-v2-purges-scans.json',
  ])('keeps %s', (file) => {
    expect(files).toContain(file);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    await expect(
      // With the payload codec the workers run: the committed histories (unencrypted) pass through it.
      Worker.runReplayHistory(
        { workflowBundle: await workflowBundle(), dataConverter: testDataConverter() },
        history,
        file.replace(/\.json$/, ''),
      ),
    ).resolves.toBeUndefined();
  });

  /**
   * A history as the workers write it now: every payload the SDK passes through the codec encrypted (not the search
   * attributes, nor what the SDK writes into its markers beside a result).
   */
  async function encrypted(node: unknown, parent = ''): Promise<unknown> {
    if (Array.isArray(node)) {
      return Promise.all(node.map((n) => encrypted(n, parent)));
    }
    if (!node || typeof node !== 'object') {
      return node;
    }
    if ('metadata' in node && 'data' in node) {
      const [sealed] = await new EncryptionCodec(testKeyring()).encode([JSONToPayload(node as JSONPayload)]);
      return payloadToJSON(sealed);
    }
    const entries = await Promise.all(
      Object.entries(node).map(async ([k, v]) => {
        const sdkOwn = k === 'searchAttributes' || (parent === 'details' && (k === 'data' || k === 'patch-data'));
        return [k, sdkOwn ? v : await encrypted(v, k)] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  it('replays a history written with encrypted payloads, which reads as the plain one once decrypted', async () => {
    const file = 'dossier-workflow-v5-example-b-partner.json';
    const plain = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const sealed = await encrypted(plain);
    const encoding = (name: string): string => `"encoding":"${Buffer.from(name).toString('base64')}"`;
    expect(JSON.stringify(sealed)).toContain(encoding('binary/encrypted'));
    // What stays plain is the SDK's own: its markers' patch IDs and the search attribute naming them.
    expect(JSON.stringify(sealed).split(encoding('json/plain')).length).toBeLessThan(
      JSON.stringify(plain).split(encoding('json/plain')).length / 2,
    );
    const history = historyFromJSON(sealed);
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: await workflowBundle(), dataConverter: testDataConverter() },
        history,
        'encrypted',
      ),
    ).resolves.toBeUndefined();
    expect(JSON.parse(await readableHistoryJSON(history))).toEqual(JSON.parse(historyToJSON(historyFromJSON(plain))));
  });
});
