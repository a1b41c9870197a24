import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException, type RatingChannel } from '../../../../libs/domain/src';
import { CitizensVoiceStore, type RatingRecord } from '../../../../libs/persistence/src';
import { type Principal } from '../auth/principal';
import { DossiersService } from '../dossiers/dossiers.service';
import { type DossierVoiceView, type RatingRequest, type RatingView } from './voice.dto';

export const toRatingView = (r: RatingRecord): RatingView => ({
  dossierCode: r.dossierCode,
  rating: r.rating,
  comment: r.comment,
  channel: r.channel,
  recordedByName: r.recordedByName,
  ratedAt: r.ratedAt.toISOString(),
});

/**
 * Citizens' ratings: once per dossier, once its result is returned; by the citizen (code and PIN, checked by the
 * public module) or by the desk of the receiving unit on their behalf.
 */
@Injectable()
export class RatingsService {
  constructor(
    private readonly store: CitizensVoiceStore,
    private readonly dossiers: DossiersService,
  ) {}

  /**
   * The citizen's rating; the caller has checked the receipt's PIN. It supersedes a rating the desk recorded on their
   * behalf (the desk's is kept in the history and the change audited): the citizen's own word counts.
   */
  rateAsCitizen(code: string, request: RatingRequest, clientAddress: string | null = null): Promise<RatingRecord> {
    return this.rate(code, request, 'CITIZEN', null, clientAddress);
  }

  /**
   * The desk of the receiving unit records the citizen's rating (given at the counter, on paper, by phone); never over
   * a rating already there (the citizen's own included: 409 ALREADY_RATED).
   */
  async rateAtDesk(principal: Principal, code: string, request: RatingRequest): Promise<RatingView> {
    const detail = await this.dossiers.visibleDetail(principal, code);
    const unit = detail.dossier.receivingUnitCode;
    if (!principal.roles.includes('DESK_CLERK') || !principal.unitCodes.includes(unit)) {
      throw new DomainException(
        DomainErrorCode.FORBIDDEN,
        `Ratings of dossiers received at ${unit} are recorded by the desk there; ${principal.username} is not a clerk of it.`,
        [],
        { rule: 'ROLE_NOT_ALLOWED' },
      );
    }
    return toRatingView(await this.rate(code, request, 'DESK', principal.officerId));
  }

  /** The dossier page's part: its rating, the petitions about it, and what it is about when it is a petition. */
  async voice(principal: Principal, code: string): Promise<DossierVoiceView> {
    await this.dossiers.visibleDetail(principal, code);
    const [rating, history, petitions, petition] = await Promise.all([
      this.store.rating(code),
      this.store.supersededRatings(code),
      this.store.petitionsAbout(code),
      this.store.petition(code),
    ]);
    return {
      code,
      rating: rating ? toRatingView(rating) : null,
      supersededRatings: history.map((h) => ({ ...toRatingView(h), supersededAt: h.supersededAt.toISOString() })),
      petitions,
      petition: petition
        ? {
            dossierCode: petition.aboutDossierCode,
            stepCode: petition.aboutStepCode,
            officerName: petition.aboutOfficerName,
            responsibleUnitCode: petition.responsibleUnitCode,
            text: petition.text,
          }
        : null,
    };
  }

  private async rate(
    code: string,
    request: RatingRequest,
    channel: RatingChannel,
    recordedBy: string | null,
    clientAddress: string | null = null,
  ): Promise<RatingRecord> {
    const outcome = await this.store.rate({
      dossierCode: code,
      rating: request.rating,
      comment: request.comment ?? null,
      channel,
      recordedBy,
      at: new Date(),
      clientAddress,
    });
    switch (outcome.kind) {
      case 'rated':
      case 'superseded':
        return outcome.record;
      case 'already-rated':
        throw new DomainException(
          DomainErrorCode.INVALID_STATE,
          outcome.record.channel === 'CITIZEN' && channel === 'DESK'
            ? `Dossier ${code} was rated by the citizen (${outcome.record.ratedAt.toISOString()}): the desk records a rating on their behalf only when they gave none.`
            : `Dossier ${code} was already rated (${outcome.record.ratedAt.toISOString()}): a dossier is rated once.`,
          [],
          { reason: 'ALREADY_RATED', state: 'RESULT_RETURNED', ratedBy: outcome.record.channel },
        );
      case 'not-ratable':
        throw new DomainException(
          DomainErrorCode.INVALID_STATE,
          `Dossier ${code} is a petition (procedure ${outcome.procedureCode}): petitions are not rated; their answers count in the petitions' on-time share.`,
          [],
          { reason: 'NOT_RATABLE', state: 'PETITION' },
        );
      case 'not-returned':
        throw new DomainException(
          DomainErrorCode.INVALID_STATE,
          `Dossier ${code} is ${outcome.state}: it can be rated once its result is returned (RESULT_RETURNED).`,
          [],
          { reason: 'NOT_RETURNED', state: outcome.state },
        );
      case 'unknown':
        throw new DomainException(DomainErrorCode.NOT_FOUND, `No dossier has the code ${code}.`);
    }
  }
}
