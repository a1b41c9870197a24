import { api, newIdempotencyKey, unwrap } from '../../api/client';
import { type components } from '../../api/schema';

export type CatalogEntry = components['schemas']['CatalogEntryView'];
export type ProcedureDetail = components['schemas']['ProcedureDetailView'];
export type ProcedureDefinition = components['schemas']['ProcedureDefinitionView'];
export type VersionDefinition = components['schemas']['ProcedureVersionDefinitionView'];
export type ProcedureCase = components['schemas']['ProcedureCaseView'];
export type ProcedureStep = components['schemas']['ProcedureStepView'];
export type Segment = components['schemas']['InterAgencySegmentView'];
export type Duration = components['schemas']['DurationView'];
export type UnitNode = components['schemas']['UnitNodeView'];

/** The catalog screens' query keys (one prefix, so a publish refreshes all of them). */
export const procedureKeys = {
  all: ['catalog'] as const,
  list: ['catalog', 'list'] as const,
  detail: (code: string, version: number | null) => ['catalog', 'detail', code, version ?? 'current'] as const,
  units: ['catalog', 'units'] as const,
};

export const fetchCatalog = () => unwrap(api.GET('/api/v1/procedures'));

/** A procedure with the version asked for, or the one in force today. */
export const fetchProcedureVersion = (code: string, version: number | null) =>
  unwrap(
    api.GET('/api/v1/procedures/{code}', {
      params: { path: { code }, query: version === null ? {} : { version } },
    }),
  );

export const fetchUnitTree = () => unwrap(api.GET('/api/v1/units'));

/** Publishes a procedure with one version; the API validates it as a whole (422 with `errors[].field`). */
export const publishProcedure = (definition: ProcedureDefinition) =>
  unwrap(
    api.POST('/api/v1/procedures', {
      body: definition,
      headers: { 'Idempotency-Key': newIdempotencyKey() },
    }),
  );

/** Unit code → name over the whole tree. */
export function unitNames(nodes: readonly UnitNode[], into = new Map<string, string>()): Map<string, string> {
  for (const n of nodes) {
    into.set(n.code, n.name);
    unitNames(n.children, into);
  }
  return into;
}

/** A catalog entry matches a search when every word is in its code, local code, name, field or agency. */
export function matchesSearch(entry: CatalogEntry, query: string, agencyName = ''): boolean {
  const haystack = fold(
    [entry.code, entry.localCode ?? '', entry.name, entry.field, entry.resolvingAgency, agencyName].join(' '),
  );
  return fold(query)
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/** Lower case without diacritics (đ → d), so "thay doi tru so" finds "thay đổi trụ sở". */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}
