import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../../libs/config/src';
import { assertEmbeddedDatabase } from '../../../../libs/persistence/src';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { OfficerLookup } from './officer-lookup';
import { Hs256TokenVerifier, JwksTokenVerifier, TokenVerifier } from './token-verifier';

@Module({
  controllers: [AuthController],
  providers: [
    {
      provide: TokenVerifier,
      inject: [AppConfig, DataSource],
      useFactory: async (config: AppConfig, dataSource: DataSource): Promise<TokenVerifier> => {
        if (config.DEPLOYMENT_MODE !== 'embedded') {
          return new JwksTokenVerifier(config);
        }
        // Demo tokens for anyone who asks: only on a database made for the demo, never on a real one.
        await assertEmbeddedDatabase(dataSource, 'DEPLOYMENT_MODE=embedded');
        return new Hs256TokenVerifier(config);
      },
    },
    OfficerLookup,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
})
export class AuthModule {}
