import { addCounts, brokenIdentities, onTimeRate, type ProgressFlows } from './progress';

/** A row of the table: what the store returns for one group. */
const flows = (overrides: Partial<ProgressFlows>): ProgressFlows => ({
  carriedOver: 0,
  newOnline: 0,
  newInPerson: 0,
  newPostal: 0,
  early: 0,
  onTime: 0,
  late: 0,
  lateWithApology: 0,
  withinDeadline: 0,
  overdue: 0,
  pausedSupplement: 0,
  pausedPayment: 0,
  withdrawn: 0,
  refused: 0,
  refusedLate: 0,
  repeatedSupplements: 0,
  lateFor766: 0,
  ...overrides,
});

describe('the national progress table', () => {
  it('3. An extended dossier is not "on time": late with apology is part of late, never beside it', () => {
    const consistent = addCounts([flows({ newOnline: 3, early: 1, late: 2, lateWithApology: 1 })]);
    expect(consistent.resolved).toBe(3);
    expect(brokenIdentities(consistent)).toEqual([]);

    const beside = addCounts([flows({ newOnline: 2, early: 1, late: 1, lateWithApology: 2 })]);
    expect(brokenIdentities(beside)).toEqual(['late with apology ⊆ late']);
  });

  it('9. 766 numerator: withdrawn, closed and late-refused dossiers are not "within the deadline"', () => {
    // 100 dossiers: 60 resolved early or on time, 5 late, 20 within the deadline, 3 overdue, 2 paused,
    // 6 withdrawn or closed for want of documents, 4 refused of which 1 after its due time; 1 early one supplemented twice.
    const c = addCounts([
      flows({
        newInPerson: 100,
        early: 50,
        onTime: 10,
        late: 5,
        withinDeadline: 20,
        overdue: 3,
        pausedSupplement: 2,
        withdrawn: 6,
        refused: 4,
        refusedLate: 1,
        repeatedSupplements: 1,
      }),
    ]);
    expect(brokenIdentities(c)).toEqual([]);
    // Within: 60 resolved in time + 3 refused in time + 20 in progress within + 2 paused − 1 supplemented twice = 84,
    // of the 94 resolved, refused, in progress or paused (the 6 withdrawn are neither resolved nor being resolved).
    expect(onTimeRate(c, 'INDEX_766')).toBe(Math.round((84 / 94) * 10_000) / 100);
  });
});
