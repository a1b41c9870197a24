import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { AppConfig } from '../../../../libs/config/src';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { ApiProblems } from '../common/api-problems.decorator';
import { OrganisationService } from '../organisation/organisation.service';
import { CurrentPrincipal, Public } from './auth.decorators';
import { type Principal, ROLES } from './principal';
import { Hs256TokenVerifier, TokenVerifier } from './token-verifier';

export class DemoTokenRequest {
  @ApiProperty({
    example: 'clerk',
    description: 'A seeded demo officer: clerk, commune-clerk, specialist, head, admin',
  })
  @IsString()
  @Length(1, 64)
  username!: string;
}

export class TokenResponse {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty() expiresAt!: string;
}

export class UnitRefView {
  @ApiProperty({ example: '000.00.20.H36' }) code!: string;
  @ApiProperty() name!: string;
}

export class DemoOfficerView {
  @ApiProperty({ example: 'clerk' }) username!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: string[];
  @ApiProperty({ type: [UnitRefView] }) units!: UnitRefView[];
}

export class OidcOptionsView {
  @ApiProperty({
    example: 'https://sso.lamdong.gov.vn/realms/mot-cua',
    description: 'The OpenID provider (issuer URL)',
  })
  issuer!: string;
  @ApiProperty({ example: 'mot-cua-console', description: "The console's public client at the provider" })
  clientId!: string;
  @ApiProperty({ example: 'openid profile', description: 'Scopes to request, space-separated' })
  scopes!: string;
}

export class SignInOptions {
  @ApiProperty({
    enum: ['embedded', 'production'],
    description: 'embedded: demo tokens for the seeded officers; production: single sign-on with the identity provider',
  })
  mode!: 'embedded' | 'production';
  @ApiProperty({ type: [DemoOfficerView], description: 'The seeded officers one may sign in as (embedded only)' })
  demoOfficers!: DemoOfficerView[];
  @ApiPropertyOptional({
    type: OidcOptionsView,
    description: 'production: sign in there (authorization code + PKCE); absent when no provider is configured',
  })
  oidc?: OidcOptionsView;
}

export class MeView {
  @ApiProperty() officerId!: string;
  @ApiProperty() username!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: string[];
  @ApiProperty({ type: [UnitRefView] }) units!: UnitRefView[];
  @ApiProperty({ type: [String], description: 'Units the officer heads, with every unit below them' })
  headOfUnits!: string[];
}

@ApiTags('auth')
@Controller({ path: 'auth', version: '1' })
export class AuthController {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly verifier: TokenVerifier,
    private readonly organisation: OrganisationService,
  ) {}

  @Public()
  @Get('options')
  @ApiOperation({ summary: 'How to sign in here: demo officers (embedded deployments) or single sign-on' })
  @ApiOkResponse({ type: SignInOptions })
  async options(): Promise<SignInOptions> {
    if (!this.demoIssuer()) {
      const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_SCOPES: scopes } = this.config;
      return {
        mode: 'production',
        demoOfficers: [],
        ...(issuer && clientId ? { oidc: { issuer, clientId, scopes } } : {}),
      };
    }
    const officers = (await this.organisation.officers()).filter((o) => !o.roles.includes('AGENCY_SYSTEM'));
    return {
      mode: 'embedded',
      demoOfficers: await Promise.all(
        officers.map(async (o) => ({
          username: o.username,
          fullName: o.fullName,
          roles: o.roles,
          units: (await this.organisation.units(o.unitCodes)).map((u) => ({ code: u.code, name: u.name })),
        })),
      ),
    };
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in officer: name, roles, units and the units they head' })
  @ApiOkResponse({ type: MeView })
  @ApiProblems(401)
  async me(@CurrentPrincipal() principal: Principal): Promise<MeView> {
    const [units, headOfUnits] = await Promise.all([
      this.organisation.units(principal.unitCodes),
      this.organisation.headedSubtree(principal.officerId),
    ]);
    return {
      officerId: principal.officerId,
      username: principal.username,
      fullName: principal.fullName,
      roles: principal.roles,
      units: units.map((u) => ({ code: u.code, name: u.name })),
      headOfUnits,
    };
  }

  /** The demo token issuer, in embedded deployments only. */
  private demoIssuer(): Hs256TokenVerifier | null {
    return this.config.DEPLOYMENT_MODE === 'embedded' && this.verifier instanceof Hs256TokenVerifier
      ? this.verifier
      : null;
  }

  @Public()
  @Post('token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Demo token for a seeded officer (embedded deployments only)' })
  @ApiOkResponse({ type: TokenResponse })
  @ApiProblems(404, 422)
  async token(@Body() body: DemoTokenRequest): Promise<TokenResponse> {
    const issuer = this.demoIssuer();
    if (!issuer) {
      throw new DomainException(
        DomainErrorCode.NOT_FOUND,
        'Token issuance is disabled: sign in with the identity provider.',
      );
    }
    const officer = await this.organisation.activeOfficerNamed(body.username);
    if (!officer) {
      throw new DomainException(DomainErrorCode.VALIDATION_FAILED, `No active officer "${body.username}".`, [
        { field: 'username', message: 'must be a seeded officer' },
      ]);
    }
    const { token, expiresAt } = await issuer.issue(officer.username);
    return { accessToken: token, tokenType: 'Bearer', expiresAt };
  }
}
