import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src';
import { createTestDatabase } from '../support/infrastructure';

/** As `npm start` connects the API and the worker to its embedded server: `?host=<socket directory>`. */
const overSocket = (url: string): string => {
  const parsed = new URL(url);
  parsed.searchParams.set('host', '/tmp');
  return parsed.toString();
};

// The embedded server the tests start puts its socket in /tmp; an external TEST_DATABASE_URL may have none here.
const local = !process.env.TEST_DATABASE_URL;

(local ? describe : describe.skip)('PostgreSQL over its Unix socket', () => {
  let url: string;

  beforeAll(async () => {
    url = overSocket(await createTestDatabase());
  });

  it('carries the data source’s pool and a plain client (the listeners’) over the socket, not TCP', async () => {
    const ds = new DataSource(dataSourceOptions(url, 2));
    await ds.initialize();
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      // inet_server_addr() is null on a Unix-socket connection, the server's address on TCP.
      const [viaPool] = await ds.query<{ addr: string | null; n: number }[]>(
        `SELECT inet_server_addr() AS addr, (SELECT count(*)::int FROM officers) AS n`,
      );
      expect(viaPool.addr).toBeNull();
      expect(viaPool.n).toBeGreaterThan(0);
      const { rows } = await client.query<{ addr: string | null }>(`SELECT inet_server_addr() AS addr`);
      expect(rows[0].addr).toBeNull();
    } finally {
      await client.end();
      await ds.destroy();
    }
  });
});
