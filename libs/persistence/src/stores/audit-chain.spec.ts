import { type AuditRecord, auditRowHash, auditRowProblem, canonicalJson, GENESIS_HASH } from './audit-chain';

const row = (seq: number, prevHash: string, purpose = 'dossier processing'): AuditRecord => {
  const content = {
    seq,
    occurredAt: new Date(Date.UTC(2026, 2, 16, 2, 40, seq)),
    actorId: '1f05771b-4101-4128-9b16-1c2125919b01',
    actor: 'clerk',
    action: 'dossier.read',
    dossierCode: '000.00.20.H36-260316-0007',
    purpose,
    clientAddress: '10.0.0.7',
    details: { form: '01', format: 'pdf' },
    prevHash,
  };
  return { ...content, hash: auditRowHash(content) };
};

const chain = (length: number): AuditRecord[] =>
  Array.from({ length }).reduce<AuditRecord[]>(
    (rows, _, i) => [...rows, row(i + 1, rows[i - 1]?.hash ?? GENESIS_HASH)],
    [],
  );

describe('the audit hash chain', () => {
  it('serialises the same value the same way whatever the order of its keys', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 3, e: 'é' }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":"é","f":3}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, skipped: undefined })).toBe('{"a":1}');
  });

  it('accepts an intact chain from its first row', () => {
    const rows = chain(3);
    expect(rows.map((r, i) => auditRowProblem(r, rows[i - 1]))).toEqual([null, null, null]);
  });

  it('names a row whose content was changed after it was written', () => {
    const [first, second] = chain(2);
    expect(auditRowProblem({ ...second, purpose: 'curiosity' }, first)).toMatch(/changed after it was written/);
    expect(auditRowProblem({ ...second, details: { form: '02', format: 'pdf' } }, first)).toMatch(/changed/);
  });

  it('names the row after a removed one, and one that does not follow its predecessor', () => {
    const [first, second, third] = chain(3);
    expect(auditRowProblem(third, first)).toBe('row 2 is missing before row 3');
    expect(auditRowProblem({ ...second, seq: 1 }, undefined)).toMatch(/does not follow row none/);
    expect(auditRowProblem(second, { seq: 1, hash: 'f'.repeat(64) })).toMatch(/does not follow row 1/);
  });

  it('changes every hash when any field changes', () => {
    const base = row(1, GENESIS_HASH);
    expect(row(1, GENESIS_HASH, 'another purpose').hash).not.toBe(base.hash);
    expect(row(1, '1'.repeat(64)).hash).not.toBe(base.hash);
  });
});
