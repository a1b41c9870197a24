import { type Messages, vi } from './vi';

/** The catalog in use. Adding a language means another `Messages` object and choosing it here. */
export const t: Messages = vi;
export const LOCALE = 'vi-VN';
export type { Messages };
