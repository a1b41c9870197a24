import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { type Principal } from '../auth/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { NotificationListView } from './notification.view';
import { NotificationsService } from './notifications.service';

export class NotificationQuery {
  @ApiPropertyOptional({ description: 'Only unread notifications' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'unread must be true or false' })
  unread?: boolean;
}

/** A notification's number: a 422 naming it when it is not one (ParseIntPipe answered 400 without the field). */
export class NotificationIdParam {
  @Type(() => Number)
  @IsInt({ message: 'id must be a whole number: the notification number' })
  @Min(1, { message: 'id must be a notification number (1 or more)' })
  @Max(Number.MAX_SAFE_INTEGER, { message: 'id must be a notification number' })
  id!: number;
}

/** What the workflows told the caller: breaches at once, escalations, assignments. Newest first. */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiProblems(401)
@Controller({ path: 'notifications', version: '1' })
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({
    summary: "The caller's notifications (breaches, 50%/75% escalations, due-soon warnings, assignments)",
  })
  @ApiOkResponse({ type: NotificationListView })
  @ApiProblems(422)
  list(@CurrentPrincipal() principal: Principal, @Query() query: NotificationQuery) {
    return this.notifications.list(principal, query.unread === true);
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark a notification read' })
  @ApiParam({ name: 'id', type: Number, description: 'The notification number' })
  @ApiNoContentResponse({ description: 'Read (marking it again changes nothing)' })
  @ApiProblems(404, 422)
  read(@CurrentPrincipal() principal: Principal, @Param() params: NotificationIdParam): Promise<void> {
    return this.notifications.read(principal, params.id);
  }
}
