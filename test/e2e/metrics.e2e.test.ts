import { Runtime } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { TemporalWorkerService } from '../../apps/worker/src/temporal-worker.service';
import { dataSourceOptions } from '../../libs/persistence/src';
import { EXAMPLE_A_USERS, EXAMPLE_A_WALK } from '../support/dossier-fixtures';
import { eventually } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';

const METRICS_TOKEN = 'scraper-token-for-the-metrics-test';
const APPLICANT = { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' };

const intake = (overrides: Record<string, unknown> = {}) => ({
  procedureCode: '2.000908',
  receivingUnitCode: '000.00.20.H36',
  channel: 'IN_PERSON',
  applicant: APPLICANT,
  documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
  ...overrides,
});

type Samples = Map<string, number>;

/** The Prometheus text format as series (`name{labels}`, labels as written) to values. */
function parse(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?) (\S+)/.exec(line);
    if (match && !line.startsWith('#')) {
      samples.set(match[1], Number(match[2]));
    }
  }
  return samples;
}

/** A series' value: labels given in the order the registry writes them (label names as declared). */
const value = (samples: Samples, series: string): number => samples.get(series) ?? 0;

/**
 * The API's and the worker's `/metrics` scraped around a walk over HTTP: the intake, action and refusal counters
 * and the activity histogram moved by what the walk did, the gauges read from PostgreSQL, nothing personal written.
 */
describe('metrics for operators (e2e)', () => {
  let product: RunningProduct;
  let db: DataSource;
  let workerUrl: string;

  beforeAll(async () => {
    // The tier's setup installed a quiet SDK runtime, idle so far: the worker installs its own (with the SDK's
    // metrics exporter) as in a process of its own in production.
    await Runtime.instance().shutdown();
    product = await startProduct({ overrides: { METRICS_TOKEN, WORKER_METRICS_PORT: '0' } });
    db = new DataSource(dataSourceOptions(product.config.DATABASE_URL, 2));
    await db.initialize();
    const port = product.worker?.get(TemporalWorkerService).metricsPort;
    workerUrl = `http://127.0.0.1:${port}/metrics`;
  });

  afterAll(async () => {
    await db?.destroy();
    await product?.stop();
  });

  const scrapeApi = async (): Promise<string> => {
    const res = await fetch(`${product.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return res.text();
  };
  const scrapeWorker = async (): Promise<string> => {
    const res = await fetch(workerUrl, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    return res.text();
  };

  const receive = async (token: string): Promise<string> => {
    const res = await product.request('POST', '/api/v1/dossiers', { token, body: intake() });
    expect(res.status).toBe(201);
    return res.body.code as string;
  };
  const atFirstStep = (code: string, token: string) =>
    eventually(async () => {
      const res = await product.request('GET', `/api/v1/dossiers/${code}`, { token });
      return res.body.currentStep?.code === 'S01' ? res.body : undefined;
    }, 'the workflow to take the dossier into processing');

  it('answers a scraper without the token 401, on the API and on the worker', async () => {
    expect((await fetch(`${product.baseUrl}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${product.baseUrl}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all!!' } }))
        .status,
    ).toBe(401);
    expect((await fetch(workerUrl)).status).toBe(401);
  });

  it('keeps /metrics out of the API document', async () => {
    const doc = await product.request('GET', '/api/docs-json');
    expect(Object.keys(doc.body.paths)).not.toContain('/metrics');
  });

  it('counts the overdue and at-risk dossiers per unit holding them, from PostgreSQL', async () => {
    const clerk = await product.token('clerk');
    const late = await receive(clerk);
    const warned = await receive(clerk);
    await atFirstStep(late, clerk);
    await atFirstStep(warned, clerk);
    await db.query(`UPDATE dossiers SET due_at = now() - interval '1 day' WHERE code = $1`, [late]);
    await db.query(
      `UPDATE dossiers SET deadline = jsonb_set(coalesce(deadline, '{}'), '{warningAt}', to_jsonb(now() - interval '1 hour'))
       WHERE code = $1`,
      [warned],
    );
    const units: { unit: string }[] = await db.query(
      `SELECT DISTINCT coalesce(current_unit_code, receiving_unit_code) AS unit FROM dossiers WHERE code = ANY($1)`,
      [[late, warned]],
    );
    expect(units).toHaveLength(1);
    const samples = parse(await scrapeApi());
    expect(value(samples, `dossiers_overdue{unit="${units[0].unit}"}`)).toBe(1);
    expect(value(samples, `dossiers_at_risk{unit="${units[0].unit}"}`)).toBe(1);
    expect(samples.get('outbox_pending_messages')).toEqual(expect.any(Number));
    expect(samples.get('workflow_starts_in_flight')).toEqual(expect.any(Number));
    expect(samples.get('outbox_oldest_pending_age_seconds')).toEqual(expect.any(Number));
  });

  it('moves the intake, action and refusal counters and the activity histogram by what a walk did', async () => {
    const tokens: Record<string, string> = {};
    for (const u of EXAMPLE_A_USERS) {
      tokens[u] = await product.token(u);
    }
    const apiBefore = parse(await scrapeApi());
    const workerBefore = parse(await scrapeWorker());

    const code = await receive(tokens.clerk);
    const missing = await product.request('POST', '/api/v1/dossiers', {
      token: tokens.clerk,
      body: intake({ documents: [{ code: 'VB-DE-NGHI' }] }),
    });
    expect(missing.status).toBe(422);
    await atFirstStep(code, tokens.clerk);
    const wrongHolder = await product.request('POST', `/api/v1/dossiers/${code}/actions/complete`, {
      token: tokens.head,
      body: {},
    });
    expect(wrongHolder.body).toMatchObject({ status: 403, rule: 'NOT_HOLDER' });
    for (const [who, action, body] of EXAMPLE_A_WALK) {
      const res = await product.request('POST', `/api/v1/dossiers/${code}/actions/${action}`, {
        token: tokens[who],
        body: body ?? {},
      });
      expect({ who, action, status: res.status }).toEqual({ who, action, status: 200 });
    }
    const returned = await product.request('POST', `/api/v1/dossiers/${code}/actions/return-result`, {
      token: tokens.clerk,
      body: { deliveryMethod: 'IN_PERSON' },
    });
    expect(returned.status).toBe(200);
    const again = await product.request('POST', `/api/v1/dossiers/${code}/actions/return-result`, {
      token: tokens.clerk,
      body: { deliveryMethod: 'IN_PERSON' },
    });
    expect(again.status).toBe(409);

    const apiText = await scrapeApi();
    const api = parse(apiText);
    const moved = (series: string) => value(api, series) - value(apiBefore, series);
    expect(moved('dossier_intakes_total{source="desk",result="received"}')).toBe(1);
    expect(moved('dossier_intakes_total{source="desk",result="refused"}')).toBe(1);
    const walked = (action: string) => EXAMPLE_A_WALK.filter(([, a]) => a === action).length;
    expect(moved('dossier_action_duration_seconds_count{action="complete",outcome="ok"}')).toBe(walked('complete'));
    expect(moved('dossier_action_duration_seconds_count{action="claim",outcome="ok"}')).toBe(walked('claim'));
    expect(moved('dossier_action_duration_seconds_count{action="complete",outcome="refused"}')).toBe(1);
    expect(moved('dossier_action_duration_seconds_count{action="return-result",outcome="ok"}')).toBe(1);
    expect(moved('dossier_action_duration_seconds_count{action="return-result",outcome="refused"}')).toBe(1);
    expect(moved('dossier_action_duration_seconds_sum{action="complete",outcome="ok"}')).toBeGreaterThan(0);
    expect(
      moved(
        'dossier_refusals_total{rule="NOT_HOLDER",code="FORBIDDEN",status="403",route="/api/v1/dossiers/:code/actions/complete"}',
      ),
    ).toBe(1);
    expect(
      moved(
        'dossier_refusals_total{rule="INVALID_STATE",code="INVALID_STATE",status="409",route="/api/v1/dossiers/:code/actions/return-result"}',
      ),
    ).toBe(1);
    expect(
      moved(
        'dossier_refusals_total{rule="VALIDATION_FAILED",code="VALIDATION_FAILED",status="422",route="/api/v1/dossiers"}',
      ),
    ).toBe(1);
    expect(api.get('process_resident_memory_bytes')).toBeGreaterThan(0);

    const workerText = await scrapeWorker();
    const worker = parse(workerText);
    const activityRuns = (samples: Samples) =>
      [...samples.entries()]
        .filter(([s]) => s.startsWith('worker_activity_duration_seconds_count{') && s.includes('outcome="ok"'))
        .reduce((sum, [, v]) => sum + v, 0);
    // Every accepted action records its transition through an activity.
    expect(activityRuns(worker) - activityRuns(workerBefore)).toBeGreaterThanOrEqual(EXAMPLE_A_WALK.length + 1);
    expect(worker.get('process_resident_memory_bytes')).toBeGreaterThan(0);
    // The SDK core's metrics: workflow task latency among them.
    expect(workerText).toMatch(/^temporal_workflow_task_execution_latency\w*_bucket\{/m);

    // Nothing that names a dossier or its applicant, in either.
    for (const text of [apiText, workerText]) {
      expect(text).not.toContain(code);
      expect(text).not.toContain(APPLICANT.idNumber);
      expect(text).not.toContain(APPLICANT.name);
      expect(text).not.toMatch(/\d{6}-\d{4}/);
    }
  });
});
