import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { type SubmissionRow, SubmissionStore } from '../../../../libs/persistence/src';
import { type Principal } from '../auth/principal';
import { OrganisationService } from '../organisation/organisation.service';

/** Who sees an application (and its files): the units over its desk, and whoever submitted it. */
@Injectable()
export class SubmissionAccess {
  constructor(
    private readonly store: SubmissionStore,
    private readonly organisation: OrganisationService,
  ) {}

  /**
   * One the caller may see: at a unit theirs to see, or submitted by them (a portal reading back). One they may not see
   * is answered exactly as one that does not exist: the answer names no unit and confirms nothing.
   */
  async visible(principal: Principal, id: string): Promise<SubmissionRow> {
    const s = await this.store.find(id);
    if (!s) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `No submission has the id ${id}.`);
    }
    if (s.submittedBy !== principal.officerId) {
      const units = await this.organisation.visibleUnits(principal);
      if (units !== 'ALL' && !units.has(s.receivingUnitCode)) {
        throw new DomainException(DomainErrorCode.NOT_FOUND, `No submission has the id ${id}.`);
      }
    }
    return s;
  }
}
