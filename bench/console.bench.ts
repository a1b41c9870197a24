import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type INestApplication } from '@nestjs/common';
import { chromium, type Response } from 'playwright-core';
import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  markEmbeddedDatabase,
  runMigrations,
  seedDemoData,
  seedReferenceData,
} from '../libs/persistence/src';
import { ensureDatabase, startEmbeddedPostgres } from '../scripts/infra/embedded-postgres';
import { freePort } from '../scripts/infra/temporal-server';
import { consolePrerequisites, startConsoleApi } from './console-api';
import { arg, runBenchmark } from './support';

/**
 * The console in Debian's chromium against the real API on embedded PostgreSQL:
 * 1. the JavaScript the worklist route loads on first visit, gzipped, against its 250 kB budget;
 * 2. with DOSSIERS dossiers held by the desk clerk, the time from navigation to the worklist's first rows, beside the
 *    bare API call that feeds it, timed in the same run (target: first rows within 1 s).
 * Rerun: npm run bench:console   (options: --dossiers=5000 --runs=15)
 */
const DOSSIERS = arg('dossiers', 5000);
const RUNS = arg('runs', 15);
const JS_BUDGET_KB = 250;
const FIRST_ROWS_BUDGET_MS = 1000;
const WORKLIST_PAGE = 50;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];

/** Open dossiers of example A at the desk's first step, held by `holderId`, received over the last 30 days. */
async function seedWorklist(db: DataSource, holderId: string, count: number): Promise<void> {
  await db.query(
    `INSERT INTO dossiers (code, receiving_unit_code, procedure_code, channel, applicant_type, applicant_id_number,
                           applicant_name, national_status, received_at, received_by, updated_at, state,
                           promised_at, due_at, current_step_no, current_step_code, current_step_name,
                           current_unit_code, holder_id, deadline, last_event_seq)
     SELECT format('000.00.20.H36-%s-%s', to_char(r, 'YYMMDD'), lpad((5000 + i)::text, 4, '0')), '000.00.20.H36',
            '2.000908', 'IN_PERSON', 'INDIVIDUAL', lpad(i::text, 12, '0'), 'Người nộp ' || i, 4, r, $1, r,
            'IN_PROGRESS', r + interval '21 days', r + interval '21 days', 1, 'S01', 'Tiếp nhận', '000.00.20.H36', $1,
            jsonb_build_object('dueAt', r + interval '21 days', 'clock',
              jsonb_build_object('startedAt', r, 'unit', 'WD', 'budgetMs', 15 * 8 * 3600000, 'pauses', '[]'::jsonb)),
            1
     FROM generate_series(1, $2) AS i, LATERAL (SELECT now() - (i % 30) * interval '1 day' AS r) t`,
    [holderId, count],
  );
}

async function main(): Promise<void> {
  const { consoleDir, executablePath } = consolePrerequisites();
  const work = mkdtempSync(join(tmpdir(), 'console-bench-'));
  const pg = await startEmbeddedPostgres({ dataDir: join(work, 'postgres'), port: await freePort() });
  let api: INestApplication | undefined;
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  try {
    await ensureDatabase(pg.serverUrl, 'bench');
    const url = pg.urlFor('bench');
    await runMigrations(url);
    const db = new DataSource(dataSourceOptions(url, 2));
    await db.initialize();
    await seedReferenceData(db);
    await markEmbeddedDatabase(db, 'benchmark console.bench');
    await seedDemoData(db);
    const [{ id: clerkId }] = await db.query<{ id: string }[]>(`SELECT id FROM officers WHERE username = 'clerk'`);
    await seedWorklist(db, clerkId, DOSSIERS);
    await db.query('ANALYZE');
    await db.destroy();

    let base: string;
    let accessToken: string;
    ({ api, base, accessToken } = await startConsoleApi(url, consoleDir, 'clerk'));

    // 1. First-load JavaScript of the worklist route, as the browser fetched it, gzipped here.
    const context = await browser.newContext({ baseURL: base, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    const page = await context.newPage();
    await page.goto('/dang-nhap');
    await page.getByRole('button', { name: '(clerk)' }).click();
    const firstRow = page
      .locator('tbody tr')
      .filter({ hasText: /H36-\d{6}-\d{4}/ })
      .first();
    await firstRow.waitFor({ timeout: 30_000 });
    // Signed in (the token is in this tab's session storage): now load the worklist route afresh and weigh every
    // script it brings, the lazy chunks included.
    const scripts = new Map<string, number>();
    const weigh = (res: Response): void => {
      if (res.request().resourceType() === 'script' && res.url().startsWith(base)) {
        res.body().then(
          (body) => scripts.set(res.url(), gzipSync(body).length),
          () => undefined,
        );
      }
    };
    page.on('response', weigh);
    await page.reload();
    await firstRow.waitFor({ timeout: 30_000 });
    // The event stream keeps a request open, so "network idle" never comes: wait until no script arrives for 1 s.
    let seen = -1;
    while (seen !== scripts.size) {
      seen = scripts.size;
      await new Promise((r) => setTimeout(r, 1000));
    }
    page.off('response', weigh);
    const jsKb = [...scripts.values()].reduce((a, b) => a + b, 0) / 1024;

    // 2. Navigation to the worklist until its first rows show, against the bare API call that feeds it.
    const ui: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < RUNS + 2; i++) {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/v1/dossiers?assignedTo=me&limit=${WORKLIST_PAGE}`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      await res.json();
      const apiMs = performance.now() - t0;
      await page.goto('/tiep-nhan');
      const t1 = performance.now();
      await page.goto('/');
      await firstRow.waitFor();
      const uiMs = performance.now() - t1;
      if (i >= 2) {
        // the first two runs warm the server's pools and caches
        bare.push(apiMs);
        ui.push(uiMs);
      }
    }
    console.log(`
Console benchmark — ${DOSSIERS.toLocaleString('en')} dossiers held by the desk clerk, ${RUNS} runs, chromium ${browser.version()}

  worklist route, first-load JavaScript (gzip)   ${jsKb.toFixed(1)} kB in ${scripts.size} files   budget ${JS_BUDGET_KB} kB   ratio ${(jsKb / JS_BUDGET_KB).toFixed(2)}   ${jsKb <= JS_BUDGET_KB ? 'OK' : 'OVER BUDGET'}
  navigation → first worklist rows (median/p90)  ${median(ui).toFixed(0)} / ${p90(ui).toFixed(0)} ms   budget ${FIRST_ROWS_BUDGET_MS} ms   ${p90(ui) <= FIRST_ROWS_BUDGET_MS ? 'OK' : 'OVER BUDGET'}
  bare API call feeding it (median/p90)           ${median(bare).toFixed(0)} / ${p90(bare).toFixed(0)} ms   (GET /api/v1/dossiers?assignedTo=me&limit=${WORKLIST_PAGE})
  ratio console / bare API (median)               ${(median(ui) / median(bare)).toFixed(1)}×

Rerun: npm run bench:console   (options: --dossiers=5000 --runs=15)
`);
  } finally {
    await browser.close();
    await api?.close();
    await pg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

runBenchmark(main);
