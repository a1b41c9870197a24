import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { AppConfig, temporalConnectionSettings } from '../../../../libs/config/src';

/** A lazily connected Temporal client: the API boots and takes intake even while Temporal is unreachable. */
@Injectable()
export class TemporalClientProvider implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;

  constructor(@Inject(AppConfig) readonly config: AppConfig) {
    this.connection = Connection.lazy({ ...temporalConnectionSettings(config), connectTimeout: '5s' });
    this.client = new Client({ connection: this.connection, namespace: config.TEMPORAL_NAMESPACE });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

@Global()
@Module({ providers: [TemporalClientProvider], exports: [TemporalClientProvider] })
export class TemporalModule {}
