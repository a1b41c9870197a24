import { readdirSync, readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { EXAMPLE_A_WALK } from '../libs/persistence/src';
import {
  arg,
  INTAKE,
  ms,
  percentile,
  post,
  runBenchmark,
  sleep,
  startProduct,
  startServers,
  type BenchServers,
} from './support';

/**
 * The whole product under sustained load (the API and the worker as built, each its own process, the Temporal dev
 * server and embedded PostgreSQL, as bench:intake starts them): intakes at a steady rate and officers walking the
 * received dossiers through example A at a steady rate of actions. Every minute it prints the intakes and actions
 * done, their p50/p99, the memory of each process (RSS from /proc; PostgreSQL as the PSS summed over its processes,
 * so shared buffers count once), the outbox depth and the dossiers open (their workflows cached by the worker); at
 * the end each process's growth from the first minute to the last (a leak shows as steady growth), the p99 drift and
 * the errors (target: none; a 503 retried with its Idempotency-Key, as the API asks, is counted apart).
 * Rerun: npm run bench:soak   (options: --minutes=20 --rate=5 (intakes/s) --action-rate=5 (actions/s) --walks=20
 * (dossiers walked at once) --warmup=30 (seconds, not counted))
 */
const MINUTES = arg('minutes', 20);
const RATE = arg('rate', 5);
const ACTION_RATE = arg('action-rate', 5);
const WALKS = arg('walks', 20);
const WARMUP = arg('warmup', 30);
/** Requests in flight beyond which a tick is skipped (and counted) rather than piling up without bound. */
const MAX_IN_FLIGHT = 200;

/** Kilobytes of a /proc/<pid>/status or smaps_rollup field (0 once the process is gone). */
function procKb(path: string, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(path, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function children(parent: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Memory of each process in MB: RSS of the API, the worker and Temporal; PSS summed over PostgreSQL's processes. */
function memory(servers: BenchServers, api: number, worker: number): Record<string, number> {
  const rss = (pid: number) => procKb(`/proc/${pid}/status`, 'VmRSS') / 1024;
  const postgres = [servers.postmaster, ...children(servers.postmaster)];
  return {
    api: rss(api),
    worker: rss(worker),
    temporal: servers.temporalPids.reduce((sum, pid) => sum + rss(pid), 0),
    postgresql: postgres.reduce((sum, pid) => sum + procKb(`/proc/${pid}/smaps_rollup`, 'Pss') / 1024, 0),
  };
}

/** What a refusal said (its problem's title), to tell the kinds of error apart. */
function problem(body: string): string {
  try {
    const p = JSON.parse(body) as { title?: string; detail?: string; code?: string };
    return `(${(p.code ?? p.title ?? p.detail ?? '').slice(0, 80)})`;
  } catch {
    return `(${body.slice(0, 80)})`;
  }
}

interface Minute {
  intakes: number[];
  actions: number[];
  memory: Record<string, number>;
  outbox: number;
  /** Dossiers not finished (their workflows open, held in the worker's cache up to its size). */
  open?: number;
  errors: number;
}

async function main(): Promise<void> {
  const servers = await startServers({ tcp: false, mark: 'benchmark soak.bench' });
  const db = new Pool({ connectionString: servers.productUrl, max: 1 });
  try {
    const { api, worker, base, tokens, client } = await startProduct(servers, { logLevel: 'info' });
    const apiPid = api.pid as number;
    const workerPid = worker.pid as number;

    const errors = new Map<string, number>();
    const fail = (what: string) => errors.set(what, (errors.get(what) ?? 0) + 1);
    let current: Minute = { intakes: [], actions: [], memory: {}, outbox: 0, errors: 0 };
    let inFlight = 0;
    let skipped = 0;

    /** Dossiers received and not yet walked; those being walked, with the next step of each. */
    const received: string[] = [];
    const walking = new Map<string, { step: number; busy: boolean }>();
    let walked = 0;

    /**
     * A POST as a client of the API makes it: a 503 ("did not answer; retry with the same Idempotency-Key") is
     * retried with its key, up to 3 times a second apart, and counted; the latency is the whole wait.
     */
    let retried = 0;
    const send = async (url: string, who: string, body: unknown, key: string): Promise<Response> => {
      for (let attempt = 0; ; attempt += 1) {
        const res = await post(url, tokens.get(who), body, key);
        if (res.status !== 503 || attempt === 3) {
          return res;
        }
        await res.arrayBuffer();
        retried += 1;
        await sleep(1000);
      }
    };
    let intakes = 0;

    const intake = async (): Promise<void> => {
      const t = performance.now();
      try {
        const res = await send(`${base}/api/v1/dossiers`, 'clerk', INTAKE, `soak-intake-${(intakes += 1)}`);
        const json = (await res.json()) as { code?: string };
        if (res.status === 201 && json.code) {
          current.intakes.push(performance.now() - t);
          received.push(json.code);
        } else {
          fail(`intake ${res.status} ${problem(JSON.stringify(json))}`);
          current.errors += 1;
        }
      } catch (e) {
        fail(`intake ${(e as Error).message}`);
        current.errors += 1;
      }
    };

    /** The next action of a dossier being walked (one at a time per dossier, as an officer would). */
    const act = async (code: string, walk: { step: number; busy: boolean }): Promise<void> => {
      const [who, action, body] = EXAMPLE_A_WALK[walk.step];
      walk.busy = true;
      const t = performance.now();
      try {
        const res = await send(
          `${base}/api/v1/dossiers/${code}/actions/${action}`,
          who,
          body ?? {},
          `soak-${code}-${walk.step}`,
        );
        const answer = await res.text();
        if (res.status === 200) {
          current.actions.push(performance.now() - t);
          walk.step += 1;
          if (walk.step === EXAMPLE_A_WALK.length) {
            walking.delete(code);
            walked += 1;
          }
        } else {
          fail(`${action} ${res.status} ${problem(answer)}`);
          current.errors += 1;
          walking.delete(code); // a refused step would be refused again: leave the dossier
        }
      } catch (e) {
        fail(`${action} ${(e as Error).message}`);
        current.errors += 1;
        walking.delete(code);
      } finally {
        walk.busy = false;
      }
    };

    /** Dossiers are walked once their workflow has taken them into processing (the desk step is open). */
    const refill = async (): Promise<void> => {
      if (walking.size >= WALKS || received.length === 0) {
        return;
      }
      const candidates = received.slice(0, 200);
      const { rows } = await db.query<{ code: string }>(
        `SELECT code FROM dossiers WHERE code = ANY($1) AND state <> 'RECEIVED'`,
        [candidates],
      );
      const ready = new Set(rows.map((r) => r.code));
      for (const code of candidates) {
        if (walking.size >= WALKS) {
          break;
        }
        if (ready.has(code)) {
          received.splice(received.indexOf(code), 1);
          walking.set(code, { step: 0, busy: false });
        }
      }
    };

    let running = true;
    const tick = (every: number, call: () => Promise<void> | void): Promise<void> =>
      (async () => {
        const started = performance.now();
        for (let n = 1; running; n += 1) {
          if (inFlight < MAX_IN_FLIGHT) {
            inFlight += 1;
            void Promise.resolve(call()).finally(() => (inFlight -= 1));
          } else {
            skipped += 1;
          }
          // a steady schedule: the n-th call at n × every, whatever the calls take
          await sleep(Math.max(0, started + n * every - performance.now()));
        }
      })();
    let nextWalk = 0;
    const actOnce = (): Promise<void> | void => {
      const idle = [...walking].filter(([, w]) => !w.busy);
      if (idle.length === 0) {
        return;
      }
      const [code, walk] = idle[nextWalk++ % idle.length];
      return act(code, walk);
    };
    const loops = [
      tick(1000 / RATE, intake),
      tick(1000 / ACTION_RATE, actOnce),
      (async () => {
        while (running) {
          await refill().catch((e: Error) => fail(`refill ${e.message}`));
          await sleep(250);
        }
      })(),
    ];

    const outbox = async (): Promise<number> =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox_messages WHERE dispatched_at IS NULL`))
        .rows[0].n;
    const open = async (): Promise<number> =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dossiers WHERE finished_at IS NULL`)).rows[0].n;
    const minutes: Minute[] = [];
    console.log(
      `Soak: ${RATE} intakes/s and ${ACTION_RATE} actions/s (example A, ${WALKS} dossiers walked at once) for ` +
        `${MINUTES} min after a ${WARMUP} s warm-up; memory in MB (RSS; PostgreSQL: PSS over its processes)`,
    );
    await sleep(WARMUP * 1000);
    const mb = (n: number) => n.toFixed(0).padStart(5);
    console.log(
      '  min  intakes  p50/p99 ms        actions  p50/p99 ms        api   worker temporal postgresql  outbox    open  errors',
    );
    for (let m = 1; m <= MINUTES; m += 1) {
      current = { intakes: [], actions: [], memory: {}, outbox: 0, errors: 0 };
      await sleep(60_000);
      const done = current;
      done.memory = memory(servers, apiPid, workerPid);
      done.outbox = await outbox();
      done.open = await open();
      done.intakes.sort((a, b) => a - b);
      done.actions.sort((a, b) => a - b);
      minutes.push(done);
      const pair = (l: number[]) => `${percentile(l, 0.5).toFixed(0)}/${percentile(l, 0.99).toFixed(0)}`.padEnd(12);
      console.log(
        `  ${String(m).padStart(3)}  ${String(done.intakes.length).padStart(7)}  ${pair(done.intakes)}` +
          `      ${String(done.actions.length).padStart(7)}  ${pair(done.actions)}     ` +
          `${mb(done.memory.api)}  ${mb(done.memory.worker)}  ${mb(done.memory.temporal)}  ${mb(done.memory.postgresql)}` +
          `      ${String(done.outbox).padStart(6)}  ${String(done.open).padStart(6)}  ${String(done.errors).padStart(6)}`,
      );
    }
    running = false;
    current = { intakes: [], actions: [], memory: {}, outbox: 0, errors: 0 }; // what ends after the last minute
    await Promise.all(loops);
    while (inFlight > 0) {
      await sleep(50);
    }

    const first = minutes[0];
    const last = minutes[minutes.length - 1];
    const growth = Object.keys(first.memory)
      .map((k) => {
        const d = last.memory[k] - first.memory[k];
        return `${k} ${first.memory[k].toFixed(0)} → ${last.memory[k].toFixed(0)} MB (${d >= 0 ? '+' : ''}${d.toFixed(0)}, ${((100 * d) / first.memory[k]).toFixed(0)}%)`;
      })
      .join(', ');
    const p99 = (m: Minute, k: 'intakes' | 'actions') => percentile(m[k], 0.99);
    const all = (k: 'intakes' | 'actions') => minutes.flatMap((m) => m[k]).sort((a, b) => a - b);
    const totalErrors = [...errors.values()].reduce((a, b) => a + b, 0);
    console.log(`\nSoak over ${MINUTES} min (after ${WARMUP} s of warm-up)`);
    console.log(
      `  intakes ${all('intakes').length} (${(all('intakes').length / (MINUTES * 60)).toFixed(2)}/s, target ${RATE}/s)` +
        `  p50 ${ms(percentile(all('intakes'), 0.5))}  p99 ${ms(percentile(all('intakes'), 0.99))}`,
    );
    console.log(
      `  actions ${all('actions').length} (${(all('actions').length / (MINUTES * 60)).toFixed(2)}/s, target ${ACTION_RATE}/s)` +
        `  p50 ${ms(percentile(all('actions'), 0.5))}  p99 ${ms(percentile(all('actions'), 0.99))}; ${walked} dossiers walked to the end`,
    );
    console.log(`  memory, first minute → last: ${growth}`);
    console.log(
      `  p99 drift, first minute → last: intakes ${ms(p99(first, 'intakes'))} → ${ms(p99(last, 'intakes'))}, ` +
        `actions ${ms(p99(first, 'actions'))} → ${ms(p99(last, 'actions'))}`,
    );
    console.log(
      `  outbox depth at the end ${last.outbox}; ticks skipped (over ${MAX_IN_FLIGHT} requests in flight) ${skipped}; ` +
        `503s retried with their Idempotency-Key ${retried}`,
    );
    console.log(
      `  errors ${totalErrors}${totalErrors ? `: ${[...errors].map(([w, n]) => `${n} × ${w}`).join(', ')}` : ''} (target 0)`,
    );
    console.log(
      `  rerun: npm run bench:soak -- --minutes=${MINUTES} --rate=${RATE} --action-rate=${ACTION_RATE} --walks=${WALKS}\n`,
    );
    await client.connection.close();
    if (totalErrors > 0) {
      throw new Error(`${totalErrors} errors during the soak`);
    }
  } finally {
    await db.end();
    await servers.stop();
  }
}

runBenchmark(main);
