import { type Browser } from 'playwright-core';
import { newSession, screenshot, expectAccessible, shown, showsText, signIn, startConsole } from '../support/browser';
import { eventually } from '../support/infrastructure';
import { type RunningProduct } from '../support/product';

const CENTRE = '000.00.20.H36';

/** `yyyy-MM-dd` of an instant in the deployment's zone. */
const localDate = (iso: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(iso))
    .slice(0, 10);
const addDays = (isoDate: string, days: number): string =>
  new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const weekday = (isoDate: string): number => new Date(`${isoDate}T00:00:00Z`).getUTCDay();
const vnDate = (isoDate: string): string => `${isoDate.slice(8, 10)}/${isoDate.slice(5, 7)}/${isoDate.slice(0, 4)}`;
/** The start of a day's button name on the year view: "26 tháng 11 năm 2026 (Thứ Năm): …". */
const dayName = (isoDate: string): string => {
  const [y, m, d] = isoDate.split('-').map(Number);
  return `^${d} tháng ${m} năm ${y} \\([^)]+\\): `;
};
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An admin keeps the working calendar in the console: a holiday's dry run, the save, and the dossiers it moved. */
describe('the console: working calendar for admins (browser)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ product, browser, stop } = await startConsole());
  });

  afterAll(async () => {
    await stop?.();
  });

  const dossier = async (code: string) =>
    (await product.request('GET', `/api/v1/dossiers/${code}`, { token: await product.token('admin') })).body;

  /** A running dossier of example A, received at the desk through the API (the scenario's subject, not its test). */
  const runningDossier = async (): Promise<string> => {
    const received = await product.request('POST', '/api/v1/dossiers', {
      token: await product.token('clerk'),
      body: {
        procedureCode: '2.000908',
        receivingUnitCode: CENTRE,
        channel: 'IN_PERSON',
        applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
        documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
      },
    });
    expect(received.status).toBe(201);
    const code = received.body.code as string;
    await eventually(async () => ((await dossier(code)).state === 'IN_PROGRESS' ? true : undefined), 'its workflow');
    return code;
  };

  /** A working weekday after the receipt day and before the due day, not already off in the centre's calendar. */
  const workingDayBeforeDue = async (code: string): Promise<string> => {
    const view = await dossier(code);
    const due = localDate(view.dueAt as string);
    for (let d = addDays(localDate(view.receivedAt as string), 1); d < due; d = addDays(d, 1)) {
      const year = (
        await product.request('GET', `/api/v1/calendars/${CENTRE}/${d.slice(0, 4)}`, {
          token: await product.token('admin'),
        })
      ).body;
      const off = new Set(
        [...year.effective.holidays, ...year.effective.makeupWorkdays].map((x: { date: string }) => x.date),
      );
      if (weekday(d) !== 0 && weekday(d) !== 6 && !off.has(d)) {
        return d;
      }
    }
    throw new Error(`no working day before ${due}`);
  };

  it('adds a holiday before a running dossier’s due time: dry-run count, save, the ledger line, the due time moved', async () => {
    const code = await runningDossier();
    const dueBefore = (await dossier(code)).dueAt as string;
    const day = await workingDayBeforeDue(code);
    const year = day.slice(0, 4);

    const { page } = await newSession(browser, product);
    await signIn(page, 'admin');
    await page
      .getByRole('navigation', { name: 'Điều hướng chính' })
      .getByRole('link', { name: 'Lịch làm việc' })
      .click();
    await page.getByRole('heading', { name: 'Lịch làm việc', level: 1 }).waitFor();
    await page.getByLabel('Phạm vi lịch').selectOption(CENTRE);
    await page.getByLabel('Năm', { exact: true }).selectOption(year);
    const yearView = page.getByRole('region', { name: new RegExp(`^Lịch năm ${year} — .*${escapeRegExp(CENTRE)}`) });
    await shown(yearView);
    await shown(page.getByRole('list', { name: 'Chú giải' }));
    await screenshot(page, 'calendar-01-year-view');
    await expectAccessible(page, 'calendar year view');

    // Pick the day on the year view (it fills the date field), name it, add it as a holiday.
    const dayButton = yearView.getByRole('button', {
      name: new RegExp(`${dayName(day)}Ngày làm việc`),
    });
    await dayButton.click();
    expect(await page.getByLabel('Ngày (dd/mm/yyyy)').inputValue()).toBe(vnDate(day));
    await page.getByLabel('Tên ngày').fill('Ngày truyền thống Trung tâm');
    await page.getByRole('button', { name: 'Thêm ngày' }).click();
    await shown(
      yearView.getByRole('button', {
        name: new RegExp(`${dayName(day)}Ngày nghỉ lễ — Ngày truyền thống Trung tâm, chưa lưu`),
      }),
    );
    const countText = await showsText(page.getByTestId('dry-run-count'), /^\d+ hồ sơ đang xử lý sẽ được tính lại hạn$/);
    const shownCount = Number(/^(\d+)/.exec(countText)?.[1]);
    expect(shownCount).toBeGreaterThanOrEqual(1);
    const apiDryRun = await product.request('PUT', `/api/v1/calendars/${CENTRE}/${year}?dryRun=true`, {
      token: await product.token('admin'),
      body: { holidays: [{ date: day, name: 'Ngày truyền thống Trung tâm' }], makeupWorkdays: [] },
    });
    expect(apiDryRun.body.affectedDossiers).toBe(shownCount);
    await shown(page.getByText(`Thêm ngày nghỉ lễ: ${vnDate(day)} (Ngày truyền thống Trung tâm)`));
    // Nothing is saved yet: the dossier keeps its due time.
    expect((await dossier(code)).dueAt).toBe(dueBefore);
    await screenshot(page, 'calendar-02-dry-run');
    await expectAccessible(page, 'calendar dry run');

    await page.getByRole('button', { name: 'Lưu lịch', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Lưu lịch làm việc' });
    await shown(dialog);
    await showsText(dialog, new RegExp(`${shownCount} hồ sơ đang xử lý sẽ được tính lại hạn`));
    await screenshot(page, 'calendar-03-confirm');
    await expectAccessible(page, 'calendar save confirmation');
    await dialog.getByRole('button', { name: 'Lưu', exact: true }).click();

    await shown(page.getByRole('status').filter({ hasText: `Đã lưu lịch năm ${year}` }));
    const changes = page.getByRole('list', { name: 'Hồ sơ đã được tính lại hạn' });
    await showsText(
      changes,
      new RegExp(
        `Hồ sơ ${escapeRegExp(code)}: lịch ${escapeRegExp(CENTRE)} năm ${year} thay đổi \\(${escapeRegExp(vnDate(day))}\\) — hạn trả kết quả dời từ .+ sang .+\\.`,
      ),
      30_000,
    );
    await screenshot(page, 'calendar-04-saved-ledger');
    await expectAccessible(page, 'calendar after saving');

    // The dossier's due time moved, and its own ledger names the change.
    const after = await dossier(code);
    expect(Date.parse(after.dueAt)).toBeGreaterThan(Date.parse(dueBefore));
    expect(after.deadline.ledger).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'CALENDAR_CHANGE',
          previousDueAt: dueBefore,
          dueAt: after.dueAt,
          explanation: expect.stringContaining(`calendar ${CENTRE} ${year} edited (${day})`),
        }),
      ]),
    );
    await page.context().close();
  });

  it('keeps the screen from other officers: no menu entry, and the page says it is for admins', async () => {
    const { page } = await newSession(browser, product);
    await signIn(page, 'clerk');
    const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
    await shown(nav.getByRole('link', { name: 'Hồ sơ cần xử lý' }));
    expect(await nav.getByRole('link', { name: 'Lịch làm việc' }).count()).toBe(0);
    await page.goto('/lich-lam-viec');
    await shown(page.getByRole('alert').filter({ hasText: 'Chỉ quản trị hệ thống được sửa lịch làm việc.' }));
    await page.context().close();
  });
});
