import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { type AuthenticatedRequest, IS_PUBLIC, OPTIONAL_SIGN_IN, REQUIRED_ROLES } from './auth.decorators';
import { type Role } from './principal';
import { loggableUrl } from '../common/request-log';
import { OfficerLookup } from './officer-lookup';
import { type TokenIdentity, TokenVerifier } from './token-verifier';

/** How a 401 names the account a valid token stood for but no active officer is bound to. */
const describeIdentity = (identity: TokenIdentity): string =>
  'username' in identity
    ? `No active officer "${identity.username}" is known to this deployment.`
    : `No active officer is bound to the account "${identity.subject}" of ${identity.issuer} (see officers:bind).`;

/** Global guard: every route needs a valid bearer token of an active officer unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly officers: OfficerLookup,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      if (!(header && this.reflector.getAllAndOverride<boolean>(OPTIONAL_SIGN_IN, targets))) {
        return true;
      }
    }
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) {
      throw new DomainException(
        DomainErrorCode.UNAUTHENTICATED,
        'A bearer token is required (Authorization: Bearer <token>).',
      );
    }
    let identity: TokenIdentity;
    try {
      identity = await this.verifier.identify(match[1]);
    } catch (e) {
      throw new DomainException(
        DomainErrorCode.UNAUTHENTICATED,
        `The bearer token is not valid: ${e instanceof Error ? e.message : String(e)}.`,
      );
    }
    const officer = await this.officers.activeOfficer(identity);
    if (!officer) {
      throw new DomainException(DomainErrorCode.UNAUTHENTICATED, describeIdentity(identity));
    }
    const username = officer.username;
    request.principal = {
      officerId: officer.id,
      username: officer.username,
      fullName: officer.fullName,
      // Copies: the officer may be a cached object shared by concurrent requests.
      roles: [...officer.roles] as Role[],
      unitCodes: [...officer.unitCodes],
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
