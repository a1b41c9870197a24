import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppConfig } from '../../../../libs/config/src';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { Hs256TokenVerifier, JwksTokenVerifier, TokenVerifier } from './token-verifier';

@Module({
  controllers: [AuthController],
  providers: [
    {
      provide: TokenVerifier,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        config.DEPLOYMENT_MODE === 'embedded' ? new Hs256TokenVerifier(config) : new JwksTokenVerifier(config),
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
})
export class AuthModule {}
