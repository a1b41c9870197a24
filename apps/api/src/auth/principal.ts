export const ROLES = [
  'DESK_CLERK',
  'SPECIALIST',
  'DIVISION_HEAD',
  'AGENCY_LEADER',
  'UNIT_HEAD',
  'ADMIN',
  'AUDITOR',
  'AGENCY_SYSTEM',
] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated officer; roles and units come from the organisation data, not from the token. */
export interface Principal {
  officerId: string;
  username: string;
  fullName: string;
  roles: Role[];
  unitCodes: string[];
}
