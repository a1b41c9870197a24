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
  @ApiProblems(400, 404)
  read(@CurrentPrincipal() principal: Principal, @Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.notifications.read(principal, id);
  }
}
