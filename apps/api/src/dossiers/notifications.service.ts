import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { NotificationStore } from '../../../../libs/persistence/src';
import { type Principal } from '../auth/principal';

/** What the workflows told an officer: breaches at once, escalations, assignments. */
@Injectable()
export class NotificationsService {
  constructor(private readonly notifications: NotificationStore) {}

  /** The caller's notifications, newest first. */
  async list(principal: Principal, unreadOnly: boolean) {
    return { items: await this.notifications.list(principal.officerId, unreadOnly) };
  }

  /** Marks one of the caller's notifications read (again changes nothing); 404 when it is not theirs. */
  async read(principal: Principal, id: number): Promise<void> {
    if (!(await this.notifications.markRead(id, principal.officerId))) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `You have no notification ${id}.`);
    }
  }
}
