import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../../libs/config/src';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { OfficerEntity } from '../../../../libs/persistence/src';
import { Public } from './auth.decorators';
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
  @ApiProperty() tokenType!: 'Bearer';
  @ApiProperty() expiresAt!: string;
}

@ApiTags('auth')
@Controller({ path: 'auth', version: '1' })
export class AuthController {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly verifier: TokenVerifier,
    private readonly dataSource: DataSource,
  ) {}

  @Public()
  @Post('token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Demo token for a seeded officer (embedded deployments only)' })
  async token(@Body() body: DemoTokenRequest): Promise<TokenResponse> {
    if (this.config.DEPLOYMENT_MODE !== 'embedded' || !(this.verifier instanceof Hs256TokenVerifier)) {
      throw new DomainException(
        DomainErrorCode.NOT_FOUND,
        'Token issuance is disabled: sign in with the identity provider.',
      );
    }
    const officer = await this.dataSource
      .getRepository(OfficerEntity)
      .findOneBy({ username: body.username, active: true });
    if (!officer) {
      throw new DomainException(DomainErrorCode.VALIDATION_FAILED, `No active officer "${body.username}".`, [
        { field: 'username', message: 'must be a seeded officer' },
      ]);
    }
    const { token, expiresAt } = await this.verifier.issue(officer.username);
    return { accessToken: token, tokenType: 'Bearer', expiresAt };
  }
}
