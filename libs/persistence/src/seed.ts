import { type DataSource } from 'typeorm';
import { NATIONAL_SCOPE, OFFICIAL_VIETNAM_YEARS } from '../../calendar/src';
import { seedCatalog } from './catalog-seed';
import { assertEmbeddedDatabase } from './stores/embedded-database';

/**
 * Demo organisation for the embedded default (Lâm Đồng, two-tier local government): the provincial People's
 * Committee with its service centre and desks, departments and their divisions, provincial police, and communes.
 */
export const DEMO_UNITS = [
  {
    code: '000.00.00.H36',
    name: 'Ủy ban nhân dân tỉnh Lâm Đồng',
    parentCode: null,
    kind: 'PEOPLES_COMMITTEE',
    head: 'ppc-leader',
  },
  {
    code: '000.00.20.H36',
    name: 'Trung tâm Phục vụ hành chính công tỉnh Lâm Đồng',
    parentCode: '000.00.00.H36',
    kind: 'SERVICE_CENTRE',
    head: 'head',
  },
  { code: '000.20.01.H36', name: 'Quầy tiếp nhận Sở Nội vụ', parentCode: '000.00.20.H36', kind: 'DESK', head: null },
  { code: '000.20.02.H36', name: 'Quầy tiếp nhận Sở Tư pháp', parentCode: '000.00.20.H36', kind: 'DESK', head: null },
  {
    code: '000.00.12.H36',
    name: 'Sở Nội vụ tỉnh Lâm Đồng',
    parentCode: '000.00.00.H36',
    kind: 'DEPARTMENT',
    head: 'dept-leader',
  },
  {
    code: '000.12.01.H36',
    name: 'Phòng Tôn giáo',
    parentCode: '000.00.12.H36',
    kind: 'DIVISION',
    head: 'division-head',
  },
  { code: '000.12.02.H36', name: 'Phòng Tổ chức, biên chế', parentCode: '000.00.12.H36', kind: 'DIVISION', head: null },
  {
    code: '000.00.17.H36',
    name: 'Sở Tư pháp tỉnh Lâm Đồng',
    parentCode: '000.00.00.H36',
    kind: 'DEPARTMENT',
    head: null,
  },
  {
    code: '000.17.01.H36',
    name: 'Phòng Hành chính tư pháp',
    parentCode: '000.00.17.H36',
    kind: 'DIVISION',
    head: null,
  },
  {
    code: '000.00.05.H36',
    name: 'Công an tỉnh Lâm Đồng',
    parentCode: '000.00.00.H36',
    kind: 'POLICE',
    head: 'police-chief',
  },
  {
    code: '000.05.01.H36',
    name: 'Phòng Cảnh sát quản lý hành chính về trật tự xã hội',
    parentCode: '000.00.05.H36',
    kind: 'DIVISION',
    head: null,
  },
  {
    code: '000.31.01.H36',
    name: 'Ủy ban nhân dân phường Xuân Hương - Đà Lạt',
    parentCode: '000.00.00.H36',
    kind: 'COMMUNE',
    head: 'commune-chair',
  },
  {
    code: '000.31.02.H36',
    name: 'Ủy ban nhân dân xã Lạc Dương',
    parentCode: '000.00.00.H36',
    kind: 'COMMUNE',
    head: null,
  },
] as const;

export const DEMO_OFFICERS = [
  { username: 'clerk', fullName: 'Nguyễn Thị Lan', roles: ['DESK_CLERK'], unitCodes: ['000.00.20.H36'] },
  // A second desk clerk: two people at one desk may reach for the same dossier.
  { username: 'clerk2', fullName: 'Vũ Thị Ngọc', roles: ['DESK_CLERK'], unitCodes: ['000.00.20.H36'] },
  { username: 'head', fullName: 'Phạm Quốc Dũng', roles: ['UNIT_HEAD'], unitCodes: ['000.00.20.H36'] },
  { username: 'specialist', fullName: 'Lê Minh Châu', roles: ['SPECIALIST'], unitCodes: ['000.12.01.H36'] },
  { username: 'division-head', fullName: 'Đỗ Thị Hạnh', roles: ['DIVISION_HEAD'], unitCodes: ['000.12.01.H36'] },
  { username: 'dept-leader', fullName: 'Hoàng Văn Khải', roles: ['AGENCY_LEADER'], unitCodes: ['000.00.12.H36'] },
  { username: 'dept-clerk', fullName: 'Trịnh Thu Hà', roles: ['SPECIALIST'], unitCodes: ['000.00.12.H36'] },
  {
    username: 'ppc-leader',
    fullName: 'Vũ Đức Long',
    roles: ['AGENCY_LEADER', 'UNIT_HEAD'],
    unitCodes: ['000.00.00.H36'],
  },
  { username: 'ppc-specialist', fullName: 'Đinh Thị Thu', roles: ['SPECIALIST'], unitCodes: ['000.00.00.H36'] },
  { username: 'police-officer', fullName: 'Bùi Quang Minh', roles: ['SPECIALIST'], unitCodes: ['000.05.01.H36'] },
  { username: 'police-head', fullName: 'Lý Văn Hùng', roles: ['DIVISION_HEAD'], unitCodes: ['000.05.01.H36'] },
  // The provincial police's director: signs form 04 for the police's share of a connected procedure.
  { username: 'police-chief', fullName: 'Trương Quang Phúc', roles: ['AGENCY_LEADER'], unitCodes: ['000.00.05.H36'] },
  { username: 'commune-clerk', fullName: 'Trần Văn Bình', roles: ['DESK_CLERK'], unitCodes: ['000.31.01.H36'] },
  { username: 'commune-officer', fullName: 'Mai Thị Hoa', roles: ['SPECIALIST'], unitCodes: ['000.31.01.H36'] },
  { username: 'commune-chair', fullName: 'Ngô Thị Mai', roles: ['UNIT_HEAD'], unitCodes: ['000.31.01.H36'] },
  { username: 'admin', fullName: 'Quản trị hệ thống', roles: ['ADMIN'], unitCodes: ['000.00.00.H36'] },
  { username: 'auditor', fullName: 'Thanh tra tỉnh', roles: ['AUDITOR'], unitCodes: ['000.00.00.H36'] },
  {
    username: 'agency-system',
    fullName: 'Cổng dịch vụ công tỉnh',
    roles: ['AGENCY_SYSTEM'],
    unitCodes: ['000.00.20.H36'],
  },
] as const;

/** Reference data every deployment needs; an existing (possibly edited) row is left alone. */
export async function seedReferenceData(dataSource: DataSource): Promise<void> {
  await seedNationalCalendars(dataSource);
}

/** The national calendar years shipped with the engine (2025–2027). */
async function seedNationalCalendars(dataSource: DataSource): Promise<void> {
  await dataSource.query(
    `INSERT INTO calendar_scopes (scope, name) VALUES ($1, 'Lịch làm việc toàn quốc') ON CONFLICT (scope) DO NOTHING`,
    [NATIONAL_SCOPE],
  );
  for (const y of OFFICIAL_VIETNAM_YEARS) {
    await dataSource.query(
      `INSERT INTO calendar_years (scope, year, holidays, makeup_workdays, source, legal_basis)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope, year) DO NOTHING`,
      [
        NATIONAL_SCOPE,
        y.year,
        JSON.stringify(y.holidays),
        JSON.stringify(y.makeupWorkdays),
        y.source,
        y.legalBasis ?? null,
      ],
    );
  }
}

/**
 * Inserts or refreshes the demo organisation; safe to run on every start. Only into a database made for embedded
 * mode (see markEmbeddedDatabase): demo officers in a real database would be accounts nobody asked for.
 */
export async function seedDemoData(dataSource: DataSource): Promise<void> {
  await assertEmbeddedDatabase(dataSource, 'Seeding demo officers');
  await dataSource.transaction(async (m) => {
    for (const u of DEMO_UNITS) {
      await m.query(
        `INSERT INTO units (code, name, parent_code, kind) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code, kind = EXCLUDED.kind`,
        [u.code, u.name, u.parentCode, u.kind],
      );
    }
    for (const o of DEMO_OFFICERS) {
      await m.query(
        `INSERT INTO officers (username, full_name, roles, unit_codes) VALUES ($1, $2, $3, $4)
         ON CONFLICT (username) DO UPDATE SET full_name = EXCLUDED.full_name, roles = EXCLUDED.roles, unit_codes = EXCLUDED.unit_codes`,
        [o.username, o.fullName, o.roles, o.unitCodes],
      );
    }
    for (const u of DEMO_UNITS) {
      await m.query(
        `UPDATE units SET head_officer_id = (SELECT id FROM officers WHERE username = $2) WHERE code = $1`,
        [u.code, u.head],
      );
    }
  });
  await seedCatalog(dataSource);
}

/** Example A walked over HTTP by the demo officers seedDemoData creates, from the desk's check to the result ready (who, action, body). */
export const EXAMPLE_A_WALK: [string, string, Record<string, unknown>?][] = [
  ['clerk', 'complete', { note: 'Hồ sơ hợp lệ' }],
  ['head', 'claim'],
  ['head', 'complete'],
  ['dept-leader', 'claim'],
  ['dept-leader', 'complete', { assignee: 'division-head' }],
  ['division-head', 'complete', { assignee: 'specialist' }],
  ['specialist', 'complete', { note: 'Dự thảo quyết định' }],
  ['division-head', 'claim'],
  ['division-head', 'complete'],
  ['dept-leader', 'claim'],
  ['dept-leader', 'complete'],
  ['ppc-leader', 'claim'],
  ['ppc-leader', 'complete'],
  ['dept-clerk', 'claim'],
  ['dept-clerk', 'complete'],
];
