import { Controller, type MessageEvent, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { defer, filter, interval, map, merge, mergeMap, type Observable, of } from 'rxjs';
import { type DossierChange } from '../../../../libs/persistence/src';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { type Principal } from '../auth/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { OrganisationService } from '../organisation/organisation.service';
import { DossierChangesListener } from './dossier-changes.listener';
import { DossierEventData, NotificationEventData, ReadyEventData } from './event.view';

const HEARTBEAT_MS = 15_000;

/** `event: dossier` — a dossier the caller may see changed. */
export function dossierEvent(change: DossierChange): MessageEvent {
  const { code, seq, type, state, nationalStatus, currentUnitCode, holderId, occurredAt } = change;
  return { type: 'dossier', data: { code, seq, type, state, nationalStatus, currentUnitCode, holderId, occurredAt } };
}

@ApiTags('events')
@ApiBearerAuth()
@Controller({ path: 'events', version: '1' })
export class EventsController {
  constructor(
    private readonly listener: DossierChangesListener,
    private readonly organisation: OrganisationService,
  ) {}

  @Sse()
  @ApiOperation({
    summary: 'Server-sent events: dossiers the caller may see changed, notifications arrived',
    description:
      '`event: ready` once connected; `event: dossier` with `{code, seq, type, state, nationalStatus, currentUnitCode, ' +
      'holderId, occurredAt}` for every stored transition of a dossier in the caller’s scope; `event: notification` ' +
      'with `{dossierCode, seq}` when the caller got a notice; `event: ping` every 15 s. Send the bearer token in the ' +
      'Authorization header (read the stream with fetch), never in the URL.',
  })
  @ApiExtraModels(ReadyEventData, DossierEventData, NotificationEventData)
  @ApiOkResponse({
    description:
      'A text/event-stream that stays open; each `data:` line is JSON: ReadyEventData, DossierEventData, ' +
      'NotificationEventData (ping: `{}`)',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiProblems(401)
  stream(@CurrentPrincipal() principal: Principal): Observable<MessageEvent> {
    return defer(() => this.organisation.visibleUnits(principal)).pipe(
      mergeMap((visible) => {
        const sees = (change: DossierChange): boolean =>
          visible === 'ALL' || change.units.some((unit) => visible.has(unit));
        const changes = this.listener.changes.pipe(
          filter((change) => sees(change) || change.notified.includes(principal.officerId)),
          mergeMap((change) => {
            const out: MessageEvent[] = sees(change) ? [dossierEvent(change)] : [];
            if (change.notified.includes(principal.officerId)) {
              out.push({ type: 'notification', data: { dossierCode: change.code, seq: change.seq } });
            }
            return of(...out);
          }),
        );
        const heartbeat = interval(HEARTBEAT_MS).pipe(map((): MessageEvent => ({ type: 'ping', data: {} })));
        return merge(of<MessageEvent>({ type: 'ready', data: { officerId: principal.officerId } }), changes, heartbeat);
      }),
    );
  }
}
