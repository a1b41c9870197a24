import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/src';
import { dataSourceOptions } from './data-source';
import { DossierStore, TypeOrmDossierStore } from './stores/dossier.store';
import { DossierQueryStore, TypeOrmDossierQueryStore } from './stores/dossier-query.store';
import { NotificationStore, TypeOrmNotificationStore } from './stores/notification.store';
import { OrganisationStore, TypeOrmOrganisationStore } from './stores/organisation.store';
import { HandoffStore, TypeOrmHandoffStore } from './stores/handoff.store';
import { OutboxStore, TypeOrmOutboxStore } from './stores/outbox.store';
import { CalendarStore, TypeOrmCalendarStore } from './stores/calendar.store';
import { ProcedureStore, TypeOrmProcedureStore } from './stores/procedure.store';
import { ReportStore, TypeOrmReportStore } from './stores/report.store';
import { PublicLookupStore, TypeOrmPublicLookupStore } from './stores/public-lookup.store';
import { RateLimitStore, TypeOrmRateLimitStore } from './stores/rate-limit.store';
import { SubmissionStore, TypeOrmSubmissionStore } from './stores/submission.store';
import { AuditStore, TypeOrmAuditStore } from './stores/audit.store';
import { RetentionStore, TypeOrmRetentionStore } from './stores/retention.store';
import { FileStore, TypeOrmFileStore } from './stores/file.store';
import { SubmissionFileStore, TypeOrmSubmissionFileStore } from './stores/submission-file.store';
import { FileStorage, fileStorageFor } from './files';
import { CitizensVoiceStore, TypeOrmCitizensVoiceStore } from './stores/citizens-voice.store';
import { MonitoringStore, TypeOrmMonitoringStore } from './stores/monitoring.store';
import { TypeOrmWatchdogStore, WatchdogStore } from './stores/watchdog.store';
import { PaymentStore, TypeOrmPaymentStore } from './stores/payment.store';

/** TypeORM over PostgreSQL, with the persistence ports bound to their TypeORM implementations. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE),
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: [
    {
      provide: DossierStore,
      inject: [DataSource, AppConfig],
      useFactory: (ds: DataSource, config: AppConfig) =>
        new TypeOrmDossierStore(ds, { portalSync: config.PORTAL_SYNC_URL !== undefined }),
    },
    {
      provide: DossierQueryStore,
      inject: [DataSource],
      useFactory: (ds: DataSource) => new TypeOrmDossierQueryStore(ds),
    },
    {
      provide: NotificationStore,
      inject: [DataSource],
      useFactory: (ds: DataSource) => new TypeOrmNotificationStore(ds),
    },
    {
      provide: OrganisationStore,
      inject: [DataSource],
      useFactory: (ds: DataSource) => new TypeOrmOrganisationStore(ds),
    },
    { provide: HandoffStore, inject: [DataSource], useFactory: (ds: DataSource) => new TypeOrmHandoffStore(ds) },
    { provide: OutboxStore, inject: [DataSource], useFactory: (ds: DataSource) => new TypeOrmOutboxStore(ds) },
    { provide: CalendarStore, inject: [DataSource], useFactory: (ds: DataSource) => new TypeOrmCalendarStore(ds) },
    { provide: ProcedureStore, inject: [DataSource], useFactory: (ds: DataSource) => new TypeOrmProcedureStore(ds) },
    { provide: ReportStore, inject: [DataSource], useFactory: (ds: DataSource) => new TypeOrmReportStore(ds) },
    {
      provide: PublicLookupStore,
      inject: [DataSource],
      useFactory: (ds: DataSource) => new TypeOrmPublicLookupStore(ds),
    },
    { provide: RateLimitStore, inject: [DataSource], useFactory: (ds: DataSource) => new TypeOrmRateLimitStore(ds) },
    {
      provide: SubmissionStore,
      inject: [DataSource, AppConfig],
      useFactory: (ds: DataSource, config: AppConfig) =>
        new TypeOrmSubmissionStore(ds, { portalSync: config.PORTAL_SYNC_URL !== undefined }),
    },
    { provide: AuditStore, inject: [DataSource], useFactory: (ds: DataSource) => new TypeOrmAuditStore(ds) },
    { provide: RetentionStore, inject: [DataSource], useFactory: (ds: DataSource) => new TypeOrmRetentionStore(ds) },
    { provide: FileStore, inject: [DataSource], useFactory: (ds: DataSource) => new TypeOrmFileStore(ds) },
    {
      provide: SubmissionFileStore,
      inject: [DataSource],
      useFactory: (ds: DataSource) => new TypeOrmSubmissionFileStore(ds),
    },
    {
      provide: FileStorage,
      inject: [AppConfig, DataSource],
      useFactory: (config: AppConfig, ds: DataSource) => fileStorageFor(config, ds),
    },
    {
      provide: CitizensVoiceStore,
      inject: [DataSource],
      useFactory: (ds: DataSource) => new TypeOrmCitizensVoiceStore(ds),
    },
    { provide: MonitoringStore, inject: [DataSource], useFactory: (ds: DataSource) => new TypeOrmMonitoringStore(ds) },
    { provide: WatchdogStore, inject: [DataSource], useFactory: (ds: DataSource) => new TypeOrmWatchdogStore(ds) },
    { provide: PaymentStore, inject: [DataSource], useFactory: (ds: DataSource) => new TypeOrmPaymentStore(ds) },
  ],
  exports: [
    CitizensVoiceStore,
    DossierStore,
    DossierQueryStore,
    NotificationStore,
    OrganisationStore,
    HandoffStore,
    OutboxStore,
    CalendarStore,
    ProcedureStore,
    ReportStore,
    PublicLookupStore,
    RateLimitStore,
    SubmissionStore,
    AuditStore,
    RetentionStore,
    FileStore,
    SubmissionFileStore,
    FileStorage,
    MonitoringStore,
    WatchdogStore,
    PaymentStore,
  ],
})
export class DatabaseModule {}
