import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { temporalDataConverter } from '../../libs/config/src';
import { type DossierWorkflowSnapshot } from '../../libs/domain/src';
import { eventually } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';

const APPLICANT = { type: 'INDIVIDUAL', idNumber: '079301012345', name: 'Trần Thị Bích Ngọc', phone: '0987654321' };

interface Finding {
  kind: string;
  subject: string;
  dossierCode: string | null;
  detail: string;
  repaired: boolean;
  timesSeen: number;
}

/**
 * The deadline watchdog: behind the product's back one dossier's workflow is terminated, another's execution deleted,
 * a third's due time changed in PostgreSQL, and two outbox messages left past their lease; the watchdog's Schedule
 * finds each, restores what it can faithfully and flags the rest, and counts them by kind.
 */
describe('deadline watchdog (e2e)', () => {
  let product: RunningProduct;
  let db: DataSource;
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    // The relay polls once an hour (an intake still wakes it): the outbox messages this test leaves stay as left.
    product = await startProduct({
      overrides: { OUTBOX_POLL_INTERVAL_MS: '3600000', WATCHDOG_INTERVAL_MINUTES: '30' },
    });
    db = product.api.get(DataSource);
    connection = await Connection.connect({ address: product.config.TEMPORAL_ADDRESS });
    client = new Client({
      connection,
      namespace: product.config.TEMPORAL_NAMESPACE,
      dataConverter: temporalDataConverter(product.config),
    });
  });

  afterAll(async () => {
    await connection?.close();
    await product?.stop();
  });

  const receive = async (): Promise<string> => {
    const clerk = await product.token('clerk');
    const res = await product.request('POST', '/api/v1/dossiers', {
      token: clerk,
      headers: { 'idempotency-key': `watchdog-${Date.now()}-${Math.random()}` },
      body: {
        procedureCode: '2.000908',
        receivingUnitCode: '000.00.20.H36',
        channel: 'IN_PERSON',
        applicant: APPLICANT,
        documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
      },
    });
    expect(res.status).toBe(201);
    const code = res.body.code as string;
    await eventually(async () => {
      const d = await product.request('GET', `/api/v1/dossiers/${code}`, { token: clerk });
      return d.body.state === 'IN_PROGRESS' ? true : undefined;
    }, 'the workflow to start');
    return code;
  };

  const findings = async (): Promise<{
    counts: { kind: string; total: number; repaired: number }[];
    findings: Finding[];
  }> => {
    const res = await product.request('GET', '/api/v1/watchdog/findings', { token: await product.token('auditor') });
    expect(res.status).toBe(200);
    return res.body;
  };

  const snapshot = (code: string) => client.workflow.getHandle(code).query<DossierWorkflowSnapshot>('snapshot');

  it('restores a terminated workflow, flags a deleted one, repairs a due time, and reports stuck outbox messages', async () => {
    const [terminated, deleted, drifted, healthy] = [
      await receive(),
      await receive(),
      await receive(),
      await receive(),
    ];
    const terminatedRun = (await client.workflow.getHandle(terminated).describe()).runId;

    // Behind the product's back.
    await client.workflow.getHandle(terminated).terminate('an operator’s mistake');
    await client.workflowService.deleteWorkflowExecution({
      namespace: product.config.TEMPORAL_NAMESPACE,
      workflowExecution: { workflowId: deleted },
    });
    await eventually(
      () =>
        client.workflow
          .getHandle(deleted)
          .describe()
          .then(
            () => undefined,
            (e: unknown) => (e instanceof WorkflowNotFoundError ? true : undefined),
          ),
      'the deleted execution to be gone',
    );
    const [{ due_at: rightDue }] = await db.query(`SELECT due_at FROM dossiers WHERE code = $1`, [drifted]);
    await db.query(`UPDATE dossiers SET due_at = due_at + interval '3 days' WHERE code = $1`, [drifted]);
    const [stuck] = await db.query(
      `INSERT INTO outbox_messages (kind, aggregate_key, payload, attempts, available_at, last_error)
       VALUES ('PORTAL_SYNC', $1, '{}', 3, now() - interval '1 hour', 'connect ECONNREFUSED') RETURNING id`,
      [`portal:${healthy}`],
    );
    const [overlong] = await db.query(
      `INSERT INTO outbox_messages (kind, aggregate_key, payload, attempts, available_at)
       VALUES ('PORTAL_SYNC', $1, '{}', 1, now() + interval '1 day') RETURNING id`,
      [`portal:${drifted}`],
    );

    // The Schedule is in place as configured; a run is triggered now rather than in half an hour.
    const schedule = client.schedule.getHandle('deadline-watchdog');
    const description = await eventually(() => schedule.describe(), 'the watchdog schedule created at boot');
    expect(description.spec.intervals?.[0]).toMatchObject({ every: 30 * 60_000 });
    expect(description.policies.overlap).toBe('SKIP');
    expect(description.action).toMatchObject({ workflowType: 'deadlineWatchdogWorkflow' });
    await schedule.trigger();

    const first = await eventually(async () => {
      const body = await findings();
      return body.findings.length >= 5 ? body : undefined;
    }, 'the watchdog’s findings');
    const bySubject = new Map(first.findings.map((f) => [f.subject, f]));
    expect(bySubject.get(terminated)).toMatchObject({
      kind: 'WORKFLOW_CLOSED',
      dossierCode: terminated,
      repaired: true,
    });
    expect(bySubject.get(deleted)).toMatchObject({ kind: 'WORKFLOW_MISSING', dossierCode: deleted, repaired: false });
    expect(bySubject.get(deleted)?.detail).toMatch(/cannot start from the projection/);
    expect(bySubject.get(drifted)).toMatchObject({ kind: 'DUE_TIME_DRIFT', repaired: true });
    expect(bySubject.get(`outbox:${stuck.id}`)).toMatchObject({ kind: 'OUTBOX_LEASE_EXPIRED', repaired: false });
    expect(bySubject.get(`outbox:${stuck.id}`)?.detail).toMatch(/ECONNREFUSED/);
    expect(bySubject.get(`outbox:${overlong.id}`)).toMatchObject({ kind: 'OUTBOX_LEASE_OVERLONG', repaired: true });
    expect(bySubject.has(healthy)).toBe(false);
    expect(first.findings).toHaveLength(5);
    expect(first.counts).toEqual([
      { kind: 'WORKFLOW_MISSING', total: 1, repaired: 0, unrepaired: 1 },
      { kind: 'WORKFLOW_CLOSED', total: 1, repaired: 1, unrepaired: 0 },
      { kind: 'DUE_TIME_DRIFT', total: 1, repaired: 1, unrepaired: 0 },
      { kind: 'OUTBOX_LEASE_EXPIRED', total: 1, repaired: 0, unrepaired: 1 },
      { kind: 'OUTBOX_LEASE_OVERLONG', total: 1, repaired: 1, unrepaired: 0 },
    ]);
    // The same counts for the operators' monitoring, at /metrics.
    const metrics = await (await fetch(`${product.baseUrl}/metrics`)).text();
    expect(metrics).toContain('watchdog_findings{kind="WORKFLOW_MISSING",repaired="false"} 1');
    expect(metrics).toContain('watchdog_findings{kind="WORKFLOW_CLOSED",repaired="true"} 1');
    expect(metrics).toContain('watchdog_findings{kind="OUTBOX_LEASE_EXPIRED",repaired="false"} 1');

    // Restored: the terminated dossier's workflow runs again (a new run of the same history) and answers.
    const restored = await client.workflow.getHandle(terminated).describe();
    expect(restored.status.name).toBe('RUNNING');
    expect(restored.runId).not.toBe(terminatedRun);
    expect(await snapshot(terminated)).toMatchObject({ dossierCode: terminated, state: 'IN_PROGRESS' });
    // Repaired from the workflow's clock; the overlong lease released.
    const [{ due_at: repairedDue }] = await db.query(`SELECT due_at FROM dossiers WHERE code = $1`, [drifted]);
    expect(repairedDue).toEqual(rightDue);
    expect(repairedDue.toISOString()).toBe(new Date((await snapshot(drifted)).deadline.dueAt!).toISOString());
    const [{ released }] = await db.query(
      `SELECT available_at <= now() AS released FROM outbox_messages WHERE id = $1`,
      [overlong.id],
    );
    expect(released).toBe(true);

    // A second run finds only what is still wrong: the deleted workflow and the message no relay took.
    const summary = await client.workflow.execute('deadlineWatchdogWorkflow', {
      taskQueue: product.config.TEMPORAL_TASK_QUEUE,
      workflowId: `watchdog-again-${Date.now()}`,
      args: [],
    });
    const [{ open }] = await db.query(
      `SELECT count(*)::int AS open FROM dossiers WHERE state NOT IN ('RESULT_RETURNED', 'WITHDRAWN', 'CLOSED')`,
    );
    expect(summary).toEqual({
      scanned: open,
      findings: { WORKFLOW_MISSING: 1, OUTBOX_LEASE_EXPIRED: 1 },
      repaired: 0,
    });
    const again = new Map((await findings()).findings.map((f) => [f.subject, f]));
    expect(again.get(deleted)?.timesSeen).toBe(2);
    expect(again.get(terminated)?.timesSeen).toBe(1);
  });

  it('shows the findings to administrators and auditors only', async () => {
    for (const [user, status] of [
      ['admin', 200],
      ['auditor', 200],
      ['clerk', 403],
    ] as const) {
      const res = await product.request('GET', '/api/v1/watchdog/findings?kind=WORKFLOW_MISSING', {
        token: await product.token(user),
      });
      expect({ user, status: res.status }).toEqual({ user, status });
    }
    const bad = await product.request('GET', '/api/v1/watchdog/findings?kind=NONSENSE', {
      token: await product.token('admin'),
    });
    expect(bad.status).toBe(422);
  });
});
