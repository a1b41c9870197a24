import { DataSource } from 'typeorm';
import { dataSourceOptions, TypeOrmOrganisationStore } from '../../libs/persistence/src';
import { BindingError, bindOfficerIdentities, parseBindings } from '../../scripts/infra/officer-bindings';
import { createTestDatabase } from '../support/infrastructure';

const ISSUER = 'https://sso.lamdong.gov.vn/realms/mot-cua';

/** `npm run officers:bind`: existing officers mapped to their accounts at the identity provider (issuer, sub). */
describe('binding officers to their identity provider accounts', () => {
  let url: string;
  let ds: DataSource;
  let store: TypeOrmOrganisationStore;

  beforeAll(async () => {
    url = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(url, 2));
    await ds.initialize();
    store = new TypeOrmOrganisationStore(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  it('reads username=subject pairs and CSV exports of the provider’s accounts', () => {
    const files: Record<string, string> = {
      'accounts.csv': 'username,subject\r\nclerk,3f1d-clerk\r\n\r\nhead, 9a2b-head \r\n',
    };
    expect(parseBindings(['admin=77e0-admin=x', '--csv', 'accounts.csv'], (p) => files[p])).toEqual([
      { username: 'admin', subject: '77e0-admin=x' },
      { username: 'clerk', subject: '3f1d-clerk' },
      { username: 'head', subject: '9a2b-head' },
    ]);
    expect(() => parseBindings(['clerk=a', 'head=a'], () => '')).toThrow(/subject a is given to both clerk and head/);
    expect(() => parseBindings(['clerk'], () => '')).toThrow(/expected username and subject/);
    expect(() => parseBindings([], () => '')).toThrow(/no binding given/);
  });

  it('binds officers so that only their (issuer, subject) finds them', async () => {
    await bindOfficerIdentities(url, ISSUER, [
      { username: 'clerk', subject: '3f1d-clerk' },
      { username: 'admin', subject: '77e0-admin' },
    ]);
    expect((await store.activeOfficer({ issuer: ISSUER, subject: '3f1d-clerk' }))?.username).toBe('clerk');
    expect((await store.activeOfficer({ issuer: ISSUER, subject: '77e0-admin' }))?.username).toBe('admin');
    // The same subject at another provider, or a subject that happens to be a username, is nobody.
    expect(await store.activeOfficer({ issuer: 'https://idp.attacker.example', subject: '77e0-admin' })).toBeNull();
    expect(await store.activeOfficer({ issuer: ISSUER, subject: 'admin' })).toBeNull();
  });

  it('binds nothing when a username is unknown or a subject is already another officer’s', async () => {
    const attempt = bindOfficerIdentities(url, ISSUER, [
      { username: 'head', subject: '9a2b-head' },
      { username: 'mallory', subject: 'm-1' },
      { username: 'specialist', subject: '3f1d-clerk' },
    ]);
    await expect(attempt).rejects.toThrow(BindingError);
    await expect(attempt).rejects.toThrow(/no officer has the username mallory/);
    await expect(attempt).rejects.toThrow(/subject 3f1d-clerk of .* is already bound to clerk/);
    expect(await store.activeOfficer({ issuer: ISSUER, subject: '9a2b-head' })).toBeNull();
  });

  it('rebinds an officer to a new account (the old one then finds nobody)', async () => {
    await bindOfficerIdentities(url, ISSUER, [{ username: 'clerk', subject: 'new-clerk-account' }]);
    expect((await store.activeOfficer({ issuer: ISSUER, subject: 'new-clerk-account' }))?.username).toBe('clerk');
    expect(await store.activeOfficer({ issuer: ISSUER, subject: '3f1d-clerk' })).toBeNull();
  });
});
