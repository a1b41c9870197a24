import {
  createScopedCalendar,
  NATIONAL_SCOPE,
  OFFICIAL_VIETNAM_YEARS,
  type WorkingCalendar,
} from '../libs/calendar/src';

/**
 * Due-date computations per second over a 10-year span (2025–2034: shipped official years, then the statutory
 * rules with lunar dates), against a naive minute-by-minute walk measured in the same run.
 * Rerun: npm run bench:calendar   (options: --seconds=3)
 */
const seconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.split('=')[1] ?? 3);
const entries = OFFICIAL_VIETNAM_YEARS.map((y) => ({ ...y, scope: NATIONAL_SCOPE }));
const calendar = createScopedCalendar({ timeZone: 'Asia/Ho_Chi_Minh', entries, chain: [NATIONAL_SCOPE] });

// Deterministic inputs: starts spread over ten years, amounts 0.25–30 WD in quarters (statutory times are ≤ 30 WD).
let seed = 42;
const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const span = Date.UTC(2034, 11, 1) - Date.UTC(2025, 0, 1);
const inputs = Array.from({ length: 10_000 }, () => ({
  from: new Date(Date.UTC(2025, 0, 1) + Math.floor((random() * span) / 60_000) * 60_000),
  amount: (1 + Math.floor(random() * 120)) / 4,
}));

function naiveDue(cal: WorkingCalendar, from: Date, amountWd: number): Date {
  let t = cal.anchor(from).getTime();
  let left = amountWd * 480;
  while (left > 0) {
    if (cal.isWorkingInstant(new Date(t))) {
      left -= 1;
    }
    t += 60_000;
  }
  return new Date(t);
}

function measure(label: string, fn: (i: number) => Date): { perSecond: number } {
  for (let i = 0; i < 200; i++) {
    fn(i); // warm-up, and every year's index built
  }
  let count = 0;
  let sink = 0;
  const started = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() - started < budget) {
    for (let k = 0; k < 100; k++) {
      sink += fn(count++ % inputs.length).getTime() & 1;
    }
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const perSecond = count / elapsed;
  console.log(
    `${label.padEnd(34)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} due dates/s  (${count} in ${elapsed.toFixed(2)} s, sink ${sink % 2})`,
  );
  return { perSecond };
}

// The two must agree before their speeds mean anything.
for (let i = 0; i < 300; i++) {
  const { from, amount } = inputs[i];
  const fast = calendar.due(from, amount, 'WD').due;
  const slow = naiveDue(calendar, from, amount);
  if (calendar.workingBetween(slow, fast) !== 0 || fast < slow) {
    throw new Error(`engine and walk disagree for ${from.toISOString()} + ${amount} WD`);
  }
}

console.log(`Node ${process.version}, one core; 10,000 inputs over 2025–2034, amounts 0.25–30 WD`);
const engine = measure(
  'engine (prefix sums + binary search)',
  (i) => calendar.due(inputs[i].from, inputs[i].amount, 'WD').due,
);
const naive = measure('naive minute-by-minute walk', (i) => naiveDue(calendar, inputs[i].from, inputs[i].amount));
console.log(
  `ratio engine / naive: ${(engine.perSecond / naive.perSecond).toFixed(0)}×   target: ≥ 100,000 due dates/s → ${engine.perSecond >= 100_000 ? 'met' : 'NOT met'}`,
);
console.log('rerun: npm run bench:calendar');
