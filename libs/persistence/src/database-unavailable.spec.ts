import { QueryFailedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-unavailable';

const pgError = (code: string, message = 'server error'): Error => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('is true for a server starting up, shut down or crashed (SQLSTATE 57P01–57P03)', () => {
    expect(isDatabaseUnavailable(pgError('57P03', 'the database system is starting up'))).toBe(true);
    expect(isDatabaseUnavailable(pgError('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(
      isDatabaseUnavailable(pgError('57P02', 'terminating connection due to crash of another server process')),
    ).toBe(true);
  });

  it('is true for a connection exception (class 08) and for a server that cannot be reached', () => {
    expect(isDatabaseUnavailable(pgError('08006', 'connection failure'))).toBe(true);
    expect(isDatabaseUnavailable(pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('is true for a transaction whose connection the driver already dropped', () => {
    expect(isDatabaseUnavailable(new QueryRunnerProviderAlreadyReleasedError())).toBe(true);
  });

  it('looks through TypeORM’s QueryFailedError to the driver’s error', () => {
    const failed = new QueryFailedError('SELECT 1', [], pgError('57P03', 'the database system is starting up'));
    expect(isDatabaseUnavailable(failed)).toBe(true);
  });

  it('is false for a refusal by a serving database (a constraint, a syntax error) and for other errors', () => {
    expect(isDatabaseUnavailable(pgError('23505', 'duplicate key value violates unique constraint'))).toBe(false);
    expect(isDatabaseUnavailable(new QueryFailedError('SELEC 1', [], pgError('42601', 'syntax error')))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable('a string')).toBe(false);
  });
});
