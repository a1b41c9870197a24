import { type DataSource } from 'typeorm';
import { insertHistories, loadRows, seededRandom } from '../libs/persistence/src';

/** Midnight of a local (UTC+7) date, as an instant. */
export const local = (date: string): Date => new Date(`${date}T00:00:00+07:00`);

/** The quarter the report benchmarks ask for (inside the generated two years). */
export const QUARTER = { from: '2025-04-01', to: '2025-06-30' };

export interface Province {
  /** The province's 10 agencies. */
  agencies: string[];
  /** The units under them, where the dossiers are received. */
  units: string[];
  /** Seconds the generation took. */
  seconds: number;
}

/**
 * A province of generated dossier histories for the report benchmarks: 10 agencies under the province (000.00.00.H36),
 * `units` units under them, `dossiers` dossiers received at those units over two years (2024-07-01 – 2026-07-01),
 * every dossier with its steps, events and facts as the product writes them. Needs the reference and demo data.
 */
export async function generateProvince(ds: DataSource, dossiers: number, unitCount: number): Promise<Province> {
  const t = performance.now();
  const agencies = Array.from({ length: 10 }, (_, a) => `9${String(a).padStart(2, '0')}.00.00.H36`);
  const units = Array.from(
    { length: unitCount },
    (_, i) =>
      `9${String(i % 10).padStart(2, '0')}.${String(Math.floor(i / 10) % 100).padStart(2, '0')}.${String(Math.floor(i / 1000) + 1).padStart(2, '0')}.H36`,
  );
  await ds.query(
    `INSERT INTO units (code, name, parent_code, kind)
     SELECT code, 'Cơ quan ' || code, '000.00.00.H36', 'AGENCY' FROM unnest($1::text[]) code`,
    [agencies],
  );
  await ds.query(
    `INSERT INTO units (code, name, parent_code, kind)
     SELECT code, 'Đơn vị ' || code, substr(code, 1, 3) || '.00.00.H36', 'DIVISION' FROM unnest($1::text[]) code`,
    [units],
  );
  const procedures = (await ds.query<{ code: string }[]>(`SELECT code FROM procedures`)).map((p) => p.code);
  const [{ id: clerk }] = await ds.query<{ id: string }[]>(`SELECT id FROM officers WHERE username = 'clerk'`);
  const random = seededRandom(766);
  const chunk = 200_000;
  for (let done = 0; done < dossiers; done += chunk) {
    const rows = loadRows(
      {
        count: Math.min(chunk, dossiers - done),
        units,
        procedures,
        from: local('2024-07-01'),
        to: local('2026-07-01'),
      },
      random,
    );
    await insertHistories(ds, rows, { receivedBy: clerk, seed: done, firstSequence: 1 + done });
  }
  await ds.query('VACUUM ANALYZE dossiers');
  await ds.query('VACUUM ANALYZE dossier_facts');
  await ds.query('VACUUM ANALYZE dossier_steps');
  return { agencies, units, seconds: (performance.now() - t) / 1000 };
}
