import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { type OfficerEntity, OrganisationStore } from '../../../../libs/persistence/src';
import { type Actor } from '../../../../libs/domain/src';
import { type Principal, type Role } from '../auth/principal';

export interface UnitNode {
  code: string;
  name: string;
  kind: string;
  parentCode: string | null;
  head: { officerId: string; fullName: string } | null;
  children: UnitNode[];
}

/** Roles that oversee everything below their units (heads see their subtree). */
const SUBTREE_ROLES: ReadonlySet<Role> = new Set(['UNIT_HEAD', 'AGENCY_LEADER', 'DIVISION_HEAD']);
/** Roles that read across the whole organisation. */
const ORGANISATION_WIDE_READERS: ReadonlySet<Role> = new Set(['ADMIN', 'AUDITOR']);

const CACHE_MS = 30_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The unit tree and the access rules over it. The tree is small (hundreds of units): held in memory briefly. */
@Injectable()
export class OrganisationService {
  private snapshot?: { at: number; tree: Promise<Map<string, UnitNode>> };

  constructor(private readonly store: OrganisationStore) {}

  /** Units whose dossiers the caller may see: own units, plus their subtrees for heads, everything for admin/auditor. */
  async visibleUnits(principal: Principal): Promise<Set<string> | 'ALL'> {
    if (principal.roles.some((r) => ORGANISATION_WIDE_READERS.has(r))) {
      return 'ALL';
    }
    const units = new Set(principal.unitCodes);
    if (principal.roles.some((r) => SUBTREE_ROLES.has(r))) {
      const tree = await this.tree();
      for (const code of principal.unitCodes) {
        const collect = (n: UnitNode | undefined): void => {
          n?.children.forEach((c) => {
            units.add(c.code);
            collect(c);
          });
        };
        collect(tree.get(code));
      }
    }
    return units;
  }

  /** Throws a clear 403 unless the caller may see a unit's dossiers. */
  async assertCanSee(principal: Principal, unitCode: string, what: string): Promise<void> {
    const visible = await this.visibleUnits(principal);
    if (visible !== 'ALL' && !visible.has(unitCode)) {
      throw new DomainException(
        DomainErrorCode.FORBIDDEN,
        `${principal.username} may not ${what} unit ${unitCode}: it is outside their units (${principal.unitCodes.join(', ')}).`,
      );
    }
  }

  /** The caller as the workflow sees an actor: roles, units, and the units they head with their sub-units. */
  async actorOf(principal: Principal): Promise<Actor> {
    return {
      officerId: principal.officerId,
      username: principal.username,
      fullName: principal.fullName,
      roles: [...principal.roles],
      unitCodes: [...principal.unitCodes],
      headOfUnits: await this.headedSubtree(principal.officerId),
    };
  }

  /** An officer named by username or id (an assignee), as an actor; 422 when there is none. */
  async officerActor(ref: string, field: string): Promise<Actor> {
    const officer = await this.store.activeOfficer(UUID.test(ref) ? { id: ref } : { username: ref });
    if (!officer) {
      throw new DomainException(DomainErrorCode.VALIDATION_FAILED, `No active officer "${ref}".`, [
        { field, message: 'must be the username or id of an active officer' },
      ]);
    }
    return {
      officerId: officer.id,
      username: officer.username,
      fullName: officer.fullName,
      roles: officer.roles,
      unitCodes: officer.unitCodes,
      headOfUnits: await this.headedSubtree(officer.id),
    };
  }

  /** An active officer by username, or null. */
  activeOfficerNamed(username: string): Promise<OfficerEntity | null> {
    return this.store.activeOfficer({ username });
  }

  /** The account a connected system acts as: the first active officer (by username) with the AGENCY_SYSTEM role. */
  agencySystemOfficer(): Promise<OfficerEntity | null> {
    return this.store.firstActiveWithRole('AGENCY_SYSTEM');
  }

  /** Units an officer heads, with every unit below them. */
  async headedSubtree(officerId: string): Promise<string[]> {
    const tree = await this.tree();
    const out: string[] = [];
    const collect = (n: UnitNode): void => {
      out.push(n.code);
      n.children.forEach(collect);
    };
    [...tree.values()].filter((n) => n.head?.officerId === officerId).forEach(collect);
    return [...new Set(out)];
  }

  /** Active officers, optionally of one unit and one role (the people a step may be assigned to), by name. */
  officers(filter: { unit?: string; role?: string } = {}): Promise<OfficerEntity[]> {
    return this.store.activeOfficers(filter);
  }

  async roots(): Promise<UnitNode[]> {
    return [...(await this.tree()).values()].filter((u) => u.parentCode === null);
  }

  /** The known units among `codes` (unknown ones are left out). */
  async units(codes: (string | null)[]): Promise<UnitNode[]> {
    const tree = await this.tree();
    return codes.flatMap((c) => (c !== null && tree.has(c) ? [tree.get(c) as UnitNode] : []));
  }

  async unit(code: string): Promise<UnitNode> {
    const node = (await this.tree()).get(code);
    if (!node) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `No unit has the e-document code ${code}.`);
    }
    return node;
  }

  private tree(): Promise<Map<string, UnitNode>> {
    if (!this.snapshot || Date.now() - this.snapshot.at > CACHE_MS) {
      this.snapshot = { at: Date.now(), tree: this.load() };
      this.snapshot.tree.catch(() => (this.snapshot = undefined));
    }
    return this.snapshot.tree;
  }

  private async load(): Promise<Map<string, UnitNode>> {
    const [units, heads] = await Promise.all([this.store.units(), this.store.officerNames()]);
    const names = new Map(heads.map((o) => [o.id, o.fullName]));
    const nodes = new Map<string, UnitNode>(
      units.map((u) => [
        u.code,
        {
          code: u.code,
          name: u.name,
          kind: u.kind,
          parentCode: u.parentCode,
          head: u.headOfficerId ? { officerId: u.headOfficerId, fullName: names.get(u.headOfficerId) ?? '' } : null,
          children: [],
        },
      ]),
    );
    for (const node of nodes.values()) {
      if (node.parentCode) {
        nodes.get(node.parentCode)?.children.push(node);
      }
    }
    return nodes;
  }
}
