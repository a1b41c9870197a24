import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { type Principal } from '../auth/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { NotificationListView } from './notification.view';

export class NotificationQuery {
  @ApiPropertyOptional({ description: 'Only unread notifications' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'unread must be true or false' })
  unread?: boolean;
}

interface NotificationRow {
  id: string;
  dossierCode: string;
  kind: string;
  message: string;
  createdAt: Date;
  readAt: Date | null;
}

/** What the workflows told the caller: breaches at once, escalations, assignments. Newest first. */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiProblems(401)
@Controller({ path: 'notifications', version: '1' })
export class NotificationsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({
    summary: "The caller's notifications (breaches, 50%/75% escalations, due-soon warnings, assignments)",
  })
  @ApiOkResponse({ type: NotificationListView })
  @ApiProblems(422)
  async list(@CurrentPrincipal() principal: Principal, @Query() query: NotificationQuery) {
    const rows: NotificationRow[] = await this.dataSource.query(
      `SELECT id::text, dossier_code AS "dossierCode", kind, message, created_at AS "createdAt", read_at AS "readAt"
         FROM notifications WHERE recipient_id = $1 ${query.unread ? 'AND read_at IS NULL' : ''}
        ORDER BY created_at DESC, id DESC LIMIT 200`,
      [principal.officerId],
    );
    return { items: rows };
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark a notification read' })
  @ApiParam({ name: 'id', type: Number, description: 'The notification number' })
  @ApiNoContentResponse({ description: 'Read (marking it again changes nothing)' })
  @ApiProblems(400, 404)
  async read(@CurrentPrincipal() principal: Principal, @Param('id', ParseIntPipe) id: number): Promise<void> {
    const [, count] = await this.dataSource.query<[unknown, number]>(
      `UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND recipient_id = $2`,
      [id, principal.officerId],
    );
    if (count === 0) {
      throw new DomainException(DomainErrorCode.NOT_FOUND, `You have no notification ${id}.`);
    }
  }
}
