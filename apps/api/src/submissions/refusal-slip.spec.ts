import { createScopedCalendar } from '../../../../libs/calendar/src';
import { type SubmissionRow } from '../../../../libs/persistence/src';
import { type Principal } from '../auth/principal';
import { buildDeskRefusal } from './refusal-slip';

const calendar = createScopedCalendar({ timeZone: 'Asia/Ho_Chi_Minh', entries: [], chain: ['VN'] });

const officer = (roles: Principal['roles']): Principal => ({
  officerId: 'o-1',
  username: 'someone',
  fullName: 'Someone',
  roles,
  unitCodes: ['000.00.20.H36'],
});

const refused = (overrides: Partial<SubmissionRow> = {}): SubmissionRow => ({
  id: '7c0e9a2e-0000-4000-8000-000000000001',
  no: 42,
  receivingUnitCode: '000.00.20.H36',
  receivingUnitName: 'Trung tâm Phục vụ hành chính công tỉnh Lâm Đồng',
  procedureCode: '2.000908',
  procedureName: 'Thủ tục đề nghị thay đổi trụ sở',
  caseCode: 'default',
  channel: 'ONLINE',
  applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
  applicantContact: { phone: '0912345678' },
  proxy: null,
  documents: [],
  state: 'REFUSED',
  nationalStatus: 3,
  submittedAt: new Date('2026-03-16T01:00:00Z'),
  submittedBy: 'portal',
  submittedByName: 'Cổng dịch vụ công tỉnh',
  decidedAt: new Date('2026-03-16T02:40:00Z'),
  decidedBy: 'clerk',
  decidedByName: 'Nguyễn Thị Lan',
  refusalReasons: ['Không thuộc thẩm quyền', 'Không đủ điều kiện'],
  dossierCode: null,
  ...overrides,
});

describe(buildDeskRefusal.name, () => {
  it('prints form 03 without a dossier code: its own number, the reasons in order, the times in Vietnam', () => {
    const form = buildDeskRefusal(refused(), officer(['DESK_CLERK']), calendar);
    expect(form).toMatchObject({
      form: '03',
      number: '42/TCTN',
      dossierCode: null,
      title: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
    });
    expect(form.print.table?.rows).toEqual([
      ['1', 'Không thuộc thẩm quyền'],
      ['2', 'Không đủ điều kiện'],
    ]);
    expect(Object.fromEntries(form.print.fields)).toMatchObject({
      'Số định danh': '001203004567',
      'Hình thức nộp': 'Trực tuyến',
      'Thời gian nộp': '08:00 16/03/2026',
      'Thời gian từ chối': '09:40 16/03/2026',
    });
    expect(form.print.signature).toBe('Người tiếp nhận: Nguyễn Thị Lan');
  });

  it("masks the applicant's number for a role that does not need it", () => {
    const form = buildDeskRefusal(refused(), officer(['UNIT_HEAD']), calendar);
    expect(Object.fromEntries(form.print.fields)['Số định danh']).not.toBe('001203004567');
  });

  it('leaves the submission time out at the counter, where the refusal is the submission', () => {
    const form = buildDeskRefusal(refused({ channel: 'IN_PERSON' }), officer(['DESK_CLERK']), calendar);
    const labels = form.print.fields.map(([label]) => label);
    expect(labels).toContain('Thời gian từ chối');
    expect(labels).not.toContain('Thời gian nộp');
  });

  it('has no form 03 for an application that was received or still waits', () => {
    expect(() =>
      buildDeskRefusal(
        refused({ state: 'RECEIVED', refusalReasons: null, dossierCode: '000.00.20.H36-260316-0001' }),
        officer(['DESK_CLERK']),
        calendar,
      ),
    ).toThrow(/dossier 000\.00\.20\.H36-260316-0001/);
    expect(() =>
      buildDeskRefusal(
        refused({ state: 'SUBMITTED', refusalReasons: null, decidedAt: null, decidedBy: null }),
        officer(['DESK_CLERK']),
        calendar,
      ),
    ).toThrow(/waiting at the desk/);
  });
});
