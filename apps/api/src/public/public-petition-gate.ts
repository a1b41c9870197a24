import { createHash, hkdfSync } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../../../libs/config/src';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { lookupPinKey, RateLimitStore } from '../../../../libs/persistence/src';
import { checkProof, issueChallenge, type PetitionChallenge, PROOF_TTL_MS } from './petition-proof';

const DAY_MS = 86_400_000;

/** The rule a flood of public petitions breaks (named in the 429). */
export const PETITIONS_PER_CLIENT_RULE = 'PUBLIC_PETITIONS_PER_CLIENT_PER_UNIT_PER_DAY';

/**
 * What stands between the anonymous public form and the petition register (domain: anyone may petition, no account):
 * a proof of work on a challenge the API signed, each challenge accepted once, and a daily cap per client address
 * and unit. Counted in PostgreSQL (rate_limit_counters), so every API instance shares them.
 */
@Injectable()
export class PublicPetitionGate {
  private readonly key: Buffer;

  constructor(
    private readonly counters: RateLimitStore,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    // A key of its own, derived from the lookup PINs' key: no new secret to configure.
    this.key = Buffer.from(hkdfSync('sha256', lookupPinKey(config), 'dossier-engine', 'petition-challenge', 32));
  }

  challenge(): PetitionChallenge {
    return issueChallenge(this.key, this.config.PUBLIC_PETITION_PROOF_BITS);
  }

  /** 422 naming `proof` unless the work on a challenge the API issued, unexpired, is done. */
  checkWork(proof: { challenge: string; nonce: string } | undefined): void {
    if (!proof) {
      throw refused('proof', 'required: solve a challenge from GET /public/v1/petitions/challenge');
    }
    const check = checkProof(this.key, proof.challenge, proof.nonce);
    if (!check.ok) {
      throw refused('proof', check.message);
    }
  }

  /** 429 naming the rule once the client filed its day's petitions to the unit; each call counts one. */
  async countPetition(client: string, unitCode: string): Promise<void> {
    const limit = this.config.PUBLIC_PETITIONS_PER_CLIENT_PER_UNIT_PER_DAY;
    const count = await this.counters.hit(`petitions:${hash(client)}:${unitCode}`, DAY_MS, limit, DAY_MS);
    if (count.hits > limit || count.blockedSecondsLeft > 0) {
      throw new DomainException(
        DomainErrorCode.TOO_MANY_REQUESTS,
        `This address filed ${limit} petitions to unit ${unitCode} in the last 24 hours, the most the public form takes; the desk of the unit receives more in person.`,
        [],
        { rule: PETITIONS_PER_CLIENT_RULE, limit, retryAfterSeconds: Math.max(count.blockedSecondsLeft, 1) },
      );
    }
  }

  /** Spends the challenge: a second petition with the same one is refused (422 naming `proof`). */
  async spend(challenge: string): Promise<void> {
    const used = await this.counters.hit(`petition-proof:${hash(challenge)}`, PROOF_TTL_MS, 1, PROOF_TTL_MS);
    if (used.hits > 1 || used.blockedSecondsLeft > 0) {
      throw refused('proof', 'challenge was already used: ask for a new one for each petition');
    }
  }
}

const hash = (s: string): string => createHash('sha256').update(s).digest('hex');

const refused = (field: string, message: string): DomainException =>
  new DomainException(DomainErrorCode.VALIDATION_FAILED, `The petition cannot be filed: ${field} ${message}.`, [
    { field, message },
  ]);
