import { Foundation1763884800000 } from './1763884800000-foundation';
import { Calendars1763971200000 } from './1763971200000-calendars';
import { Organisation1764057600000 } from './1764057600000-organisation';
import { Procedures1764144000000 } from './1764144000000-procedures';
import { DossierLifecycle1764230400000 } from './1764230400000-dossier-lifecycle';
import { ReportFacts1764316800000 } from './1764316800000-report-facts';
import { Handoffs1764403200000 } from './1764403200000-handoffs';
import { CalendarChangeIndex1764489600000 } from './1764489600000-calendar-change-index';
import { ReportPromise1764576000000 } from './1764576000000-report-promise';
import { OverdueSpans1764590400000 } from './1764590400000-overdue-spans';
import { HandoffNonces1764590500000 } from './1764590500000-handoff-nonces';
import { LookupPins1764594000000 } from './1764594000000-lookup-pins';
import { Submissions1764676800000 } from './1764676800000-submissions';
import { EmbeddedDatabase1764700000000 } from './1764700000000-embedded-database';
import { OfficerIdentity1764700060000 } from './1764700060000-officer-identity';
import { AuditLog1764800000000 } from './1764800000000-audit-log';
import { PersonalDataRetention1764803600000 } from './1764803600000-personal-data-retention';
import { CitizensVoice1764980000000 } from './1764980000000-citizens-voice';
import { SubmissionFiles1765010000000 } from './1765010000000-submission-files';
import { SubtreeRollups1765020000000 } from './1765020000000-subtree-rollups';
import { ResultSupersession1765050000000 } from './1765050000000-result-supersession';
import { RatingHistory1765060000000 } from './1765060000000-rating-history';
import { PaymentClaims1765070000000 } from './1765070000000-payment-claims';
import { FactsByReceipt1765090000000 } from './1765090000000-facts-by-receipt';
import { WatchdogFindings1764930000000 } from './1764930000000-watchdog-findings';
import { PaymentRequests1764940000000 } from './1764940000000-payment-requests';
import { OfficerChanges1764950000000 } from './1764950000000-officer-changes';
import { DossierFiles1764970000000 } from './1764970000000-dossier-files';
import { CatalogAndCalendarChanges1765000000000 } from './1765000000000-catalog-and-calendar-changes';
import { PaymentAttempts1765030000000 } from './1765030000000-payment-attempts';
import { FileRetention1765030100000 } from './1765030100000-file-retention';

/** Every migration in order. Listed explicitly so compiled and test (TypeScript) runs load the same set. */
export const MIGRATIONS = [
  Foundation1763884800000,
  Calendars1763971200000,
  Organisation1764057600000,
  Procedures1764144000000,
  DossierLifecycle1764230400000,
  ReportFacts1764316800000,
  Handoffs1764403200000,
  CalendarChangeIndex1764489600000,
  ReportPromise1764576000000,
  OverdueSpans1764590400000,
  HandoffNonces1764590500000,
  LookupPins1764594000000,
  Submissions1764676800000,
  EmbeddedDatabase1764700000000,
  OfficerIdentity1764700060000,
  AuditLog1764800000000,
  PersonalDataRetention1764803600000,
  WatchdogFindings1764930000000,
  PaymentRequests1764940000000,
  OfficerChanges1764950000000,
  DossierFiles1764970000000,
  CitizensVoice1764980000000,
  CatalogAndCalendarChanges1765000000000,
  SubmissionFiles1765010000000,
  SubtreeRollups1765020000000,
  PaymentAttempts1765030000000,
  FileRetention1765030100000,
  ResultSupersession1765050000000,
  RatingHistory1765060000000,
  PaymentClaims1765070000000,
  FactsByReceipt1765090000000,
];
