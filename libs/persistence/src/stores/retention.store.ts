import { type DataSource } from 'typeorm';
import { TERMINAL_STATES } from '../../../domain/src';
import { appendAudit } from './audit.store';

/** What an anonymised applicant is called from then on (forms and the register print it). */
export const ANONYMISED_NAME = 'Đã ẩn danh';

/** Free-text fields of the dossier's events that officers type and that may name people. */
const FREE_TEXT = ['note', 'reason', 'reasons', 'items', 'reference'];

/** A stored scan whose bytes the retention job deletes. */
export interface ScanToPurge {
  id: string;
  dossierCode: string;
  storageKey: string;
}

/**
 * Port of the personal-data retention job (Law 91/2025: kept no longer than the purpose needs).
 *
 * Stored files: the scans of the papers a citizen handed in (ID cards, contracts, certificates…) were collected to
 * process the dossier, nothing else; once the dossier is anonymised (closed longer ago than the retention period) their
 * bytes are deleted from storage. Each scan's record stays — SHA-256, size, type, who attached and who certified it,
 * when — because the 766 digitisation and reuse figures count it and it proves what the desk received; its file name,
 * which a citizen may have written their name into, becomes the paper's code. The RESULT (the decision, the licence)
 * stays: it is the document the agency issued to the citizen, not data collected from them; the citizen may need a
 * copy again (a lost licence, the next procedure reusing it, Decree 45/2020 on electronic procedures), and the issuing
 * agency keeps its decisions under the archives law, a legal obligation of its own (Law 91/2025 allows processing to
 * fulfil one). The dossier's applicant is anonymised beside it as for any dossier.
 *
 * Hook for the files of online submissions (being added in apps/api/src/submissions): a refused submission never
 * becomes a dossier, so its files are due once it was refused longer ago than the retention period. Add them to
 * `scansToPurge` (a UNION with the submission's file table, `closedBefore` against its refusal time) and to
 * `markScansPurged`; keep the rule below that bytes shared with a file still kept are not deleted.
 */
export abstract class RetentionStore {
  /**
   * Anonymises up to `limit` dossiers closed before `closedBefore`, in one transaction with the audit row that lists
   * them; returns their codes (fewer than `limit`: nothing more is due).
   */
  abstract anonymiseClosedBefore(closedBefore: Date, limit: number): Promise<string[]>;
  /**
   * Up to `limit` papers' scans of anonymised dossiers whose bytes are still stored, and of their storage keys those
   * that no file outside them still needs (a later dossier reusing the paper, a result): the keys whose bytes may go.
   */
  abstract scansToPurge(closedBefore: Date, limit: number): Promise<{ scans: ScanToPurge[]; deletableKeys: string[] }>;
  /** Marks the scans purged (their bytes deleted), in one transaction with the audit row that lists them. */
  abstract markScansPurged(scans: ScanToPurge[], closedBefore: Date): Promise<void>;
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
      // What the clerk typed with a desk payment (a bank transfer's reference may name the payer); the desk's receipt
      // number, amount, channel and time stay.
      await m.query(
        `UPDATE payment_requests SET payer_reference = NULL WHERE dossier_code = ANY($1) AND payer_reference IS NOT NULL`,
        [codes],
      );
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

  async scansToPurge(_closedBefore: Date, limit: number): Promise<{ scans: ScanToPurge[]; deletableKeys: string[] }> {
    // Anonymised dossiers only: their applicant's ID number is gone, so no intake can reuse their papers any more and
    // no new file can come to share these bytes while they are being deleted.
    const scans = await this.dataSource.query<ScanToPurge[]>(
      `SELECT f.id, f.dossier_code AS "dossierCode", f.storage_key AS "storageKey"
       FROM dossier_files f JOIN dossiers d ON d.code = f.dossier_code
       WHERE f.kind = 'PAPER' AND f.purged_at IS NULL AND d.anonymised_at IS NOT NULL
       ORDER BY d.anonymised_at, f.dossier_code, f.uploaded_at, f.id
       LIMIT $1`,
      [limit],
    );
    if (scans.length === 0) {
      return { scans, deletableKeys: [] };
    }
    const kept = await this.dataSource.query<{ key: string }[]>(
      `SELECT DISTINCT storage_key AS key FROM dossier_files
       WHERE storage_key = ANY($1) AND purged_at IS NULL AND NOT (id = ANY($2::uuid[]))`,
      [scans.map((s) => s.storageKey), scans.map((s) => s.id)],
    );
    const stillNeeded = new Set(kept.map((k) => k.key));
    return { scans, deletableKeys: [...new Set(scans.map((s) => s.storageKey))].filter((k) => !stillNeeded.has(k)) };
  }

  markScansPurged(scans: ScanToPurge[], closedBefore: Date): Promise<void> {
    return this.dataSource.transaction(async (m) => {
      const ids = scans.map((s) => s.id);
      await m.query(
        `UPDATE dossier_files
         SET purged_at = now(),
             file_name = document_code || CASE content_type WHEN 'application/pdf' THEN '.pdf'
                                                              WHEN 'image/png' THEN '.png' ELSE '.jpg' END
         WHERE id = ANY($1::uuid[]) AND purged_at IS NULL`,
        [ids],
      );
      await appendAudit(m, {
        actorId: null,
        actor: 'system:retention',
        action: 'dossier.files.purge',
        dossierCode: null,
        purpose: 'Hết thời hạn lưu trữ dữ liệu cá nhân (Luật 91/2025/QH15)',
        clientAddress: null,
        details: {
          files: scans.map((s) => ({ file: s.id, dossier: s.dossierCode })),
          closedBefore: closedBefore.toISOString(),
        },
      });
    });
  }
}
