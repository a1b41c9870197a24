import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { type Request } from 'express';
import { type Principal, type Role } from './principal';

export const IS_PUBLIC = 'auth:public';
export const OPTIONAL_SIGN_IN = 'auth:optional';
export const REQUIRED_ROLES = 'auth:roles';

/** The route needs no token (health, demo token issuance, citizen lookups). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * The route needs no token, but a caller who sends one is signed in like anywhere else (an invalid token is still a
 * 401) and the handler may answer signed-in officers more (readiness's detail).
 */
export const SignInOptional = () => applyDecorators(SetMetadata(IS_PUBLIC, true), SetMetadata(OPTIONAL_SIGN_IN, true));

/** The caller must hold one of these roles. */
export const RequireRoles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

export type AuthenticatedRequest = Request & { principal?: Principal };

/** The signed-in officer on a SignInOptional() route, or undefined for an anonymous caller. */
export const OptionalPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal | undefined =>
    ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) {
    throw new Error('CurrentPrincipal used on a public route');
  }
  return principal;
});
