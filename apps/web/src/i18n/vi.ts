/**
 * Every visible text of the console, in Vietnamese. Another language is another object of the same type
 * (`Messages`), chosen in `i18n/index.ts`; components read texts only from there.
 */
import { admin } from './vi/admin';
import { common } from './vi/common';
import { desk } from './vi/desk';
import { reports } from './vi/reports';

export const vi = { ...common, ...desk, ...reports, ...admin };

export type Messages = typeof vi;
