import { type DataSource } from 'typeorm';
import { TERMINAL_STATES } from '../../../domain/src';
import { appendAudit } from './audit.store';

/** What an anonymised applicant is called from then on (forms and the register print it). */
export const ANONYMISED_NAME = 'Đã ẩn danh';

/** Free-text fields of the dossier's events that officers type and that may name people. */
const FREE_TEXT = ['note', 'reason', 'reasons', 'items', 'reference'];

/** Port of the personal-data retention job (Law 91/2025: kept no longer than the purpose needs). */
export abstract class RetentionStore {
  /**
   * Anonymises up to `limit` dossiers closed before `closedBefore`, in one transaction with the audit row that lists
   * them; returns their codes (fewer than `limit`: nothing more is due).
   */
  abstract anonymiseClosedBefore(closedBefore: Date, limit: number): Promise<string[]>;
}

export class TypeOrmRetentionStore extends RetentionStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  /**
   * The applicant (name, ID number, address, phone, e-mail), the proxy, the officers' free text on the dossier (notes,
   * reasons), the rating's comment, a petition's text and the intake's idempotency record go; what statistics count stays (procedure, units, channel,
   * applicant type, every instant, outcome, timeliness, the steps and their holders, the report facts).
   */
  anonymiseClosedBefore(closedBefore: Date, limit: number): Promise<string[]> {
    return this.dataSource.transaction(async (m) => {
      const due = await m.query<{ code: string }[]>(
        `SELECT code FROM dossiers
         WHERE anonymised_at IS NULL AND state = ANY($1) AND GREATEST(finished_at, result_returned_at) < $2
         ORDER BY GREATEST(finished_at, result_returned_at), code
         LIMIT $3
         FOR UPDATE SKIP LOCKED`,
        [TERMINAL_STATES, closedBefore, limit],
      );
      const codes = due.map((d) => d.code);
      if (codes.length === 0) {
        return codes;
      }
      await m.query(
        `UPDATE dossiers SET applicant_name = $2, applicant_id_number = '', applicant_contact = '{}', proxy = NULL,
                             anonymised_at = now()
         WHERE code = ANY($1)`,
        [codes, ANONYMISED_NAME],
      );
      await m.query(
        `UPDATE dossier_events SET payload = payload - $2::text[]
         WHERE dossier_code = ANY($1) AND payload ?| $2::text[]`,
        [codes, FREE_TEXT],
      );
      await m.query(`UPDATE dossier_steps SET note = NULL WHERE dossier_code = ANY($1) AND note IS NOT NULL`, [codes]);
      // The citizen's rating stays (the satisfaction figures count it); the comment typed with it goes, and so does a
      // petition's text (the petitioner is the petition dossier's applicant, anonymised above).
      await m.query(`UPDATE dossier_ratings SET comment = NULL WHERE dossier_code = ANY($1) AND comment IS NOT NULL`, [
        codes,
      ]);
      await m.query(
        `UPDATE dossier_rating_history SET comment = NULL WHERE dossier_code = ANY($1) AND comment IS NOT NULL`,
        [codes],
      );
      await m.query(`UPDATE petition_links SET text = NULL WHERE petition_code = ANY($1) AND text IS NOT NULL`, [
        codes,
      ]);
      // The intake's idempotency record: a hash of the request, applicant included, kept for retries only.
      await m.query(`DELETE FROM idempotency_keys WHERE response_body->>'code' = ANY($1)`, [codes]);
      await appendAudit(m, {
        actorId: null,
        actor: 'system:retention',
        action: 'dossier.anonymise',
        dossierCode: null,
        purpose: 'Hết thời hạn lưu trữ dữ liệu cá nhân (Luật 91/2025/QH15)',
        clientAddress: null,
        details: { codes, closedBefore: closedBefore.toISOString() },
      });
      return codes;
    });
  }
}
