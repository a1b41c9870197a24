import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { OrganisationStore } from '../../../../libs/persistence/src';
import { type AuthenticatedRequest, IS_PUBLIC, REQUIRED_ROLES } from './auth.decorators';
import { type Role } from './principal';
import { loggableUrl } from '../common/request-log';
import { TokenVerifier } from './token-verifier';

/** Global guard: every route needs a valid bearer token of an active officer unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly organisation: OrganisationStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      return true;
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) {
      throw new DomainException(
        DomainErrorCode.UNAUTHENTICATED,
        'A bearer token is required (Authorization: Bearer <token>).',
      );
    }
    let username: string;
    try {
      const claims = await this.verifier.verify(match[1]);
      const name = claims.preferred_username ?? claims.sub;
      username = typeof name === 'string' ? name : '';
    } catch (e) {
      throw new DomainException(
        DomainErrorCode.UNAUTHENTICATED,
        `The bearer token is not valid: ${e instanceof Error ? e.message : String(e)}.`,
      );
    }
    const officer = await this.organisation.activeOfficer({ username });
    if (!officer) {
      throw new DomainException(
        DomainErrorCode.UNAUTHENTICATED,
        `No active officer "${username}" is known to this deployment.`,
      );
    }
    request.principal = {
      officerId: officer.id,
      username: officer.username,
      fullName: officer.fullName,
      roles: officer.roles as Role[],
      unitCodes: officer.unitCodes,
    };
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (required && !required.some((r) => request.principal?.roles.includes(r))) {
      this.logger.warn({ username, required, path: loggableUrl(request.originalUrl) }, 'role refused');
      throw new DomainException(
        DomainErrorCode.FORBIDDEN,
        `This action needs one of the roles ${required.join(', ')}; ${username} has ${officer.roles.join(', ') || 'none'}.`,
      );
    }
    return true;
  }
}
