import { type DataSource } from 'typeorm';

export interface NotificationRow {
  id: string;
  dossierCode: string;
  kind: string;
  message: string;
  createdAt: Date;
  readAt: Date | null;
}

/** Port for an officer's notifications; bound to the TypeORM implementation below. */
export abstract class NotificationStore {
  /** An officer's notifications, newest first (at most 200). */
  abstract list(recipientId: string, unreadOnly: boolean): Promise<NotificationRow[]>;
  /** Marks one of an officer's notifications read; false when the officer has no such notification. */
  abstract markRead(id: number, recipientId: string): Promise<boolean>;
}

export class TypeOrmNotificationStore extends NotificationStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  list(recipientId: string, unreadOnly: boolean): Promise<NotificationRow[]> {
    return this.dataSource.query(
      `SELECT id::text, dossier_code AS "dossierCode", kind, message, created_at AS "createdAt", read_at AS "readAt"
         FROM notifications WHERE recipient_id = $1 ${unreadOnly ? 'AND read_at IS NULL' : ''}
        ORDER BY created_at DESC, id DESC LIMIT 200`,
      [recipientId],
    );
  }

  async markRead(id: number, recipientId: string): Promise<boolean> {
    const [, count] = await this.dataSource.query<[unknown, number]>(
      `UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND recipient_id = $2`,
      [id, recipientId],
    );
    return count !== 0;
  }
}
