import { Client } from 'pg';

/** Creates a database if it does not exist (optionally as a copy of a template); true when it created it. */
export async function ensureDatabase(serverUrl: string, name: string, template?: string): Promise<boolean> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) {
      return false;
    }
    await client.query(
      `CREATE DATABASE "${name.replace(/"/g, '')}"${template ? ` TEMPLATE "${template.replace(/"/g, '')}"` : ''}`,
    );
    return true;
  } finally {
    await client.end();
  }
}
