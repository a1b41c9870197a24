import { type DynamicModule, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import {
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type ResponseObject,
  type SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { getMetadataStorage } from 'class-validator';
import { AppModule } from './app.module';
import { IS_PUBLIC, OPTIONAL_SIGN_IN, REQUIRED_ROLES } from './auth/auth.decorators';
import { createOpenApiDocument, documentConfig } from './bootstrap';
import { PROBLEM_MEDIA_TYPE } from './common/api-problems.decorator';
import { operationIdOf } from './openapi';
import { MetricsController } from './metrics/metrics.controller';

/** Routes kept out of the document on purpose: `/metrics` is the Prometheus scraper's, not a client's operation. */
const UNDOCUMENTED: Type[] = [MetricsController];

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/** Operations whose path names no single resource to look up, so they cannot answer 404 (with why). */
const NO_LOOKUP_BY_PATH: Record<string, string> = {
  CalendarController_getYear: 'every scope and year has a calendar (computed when none was published)',
  CalendarController_putYear: 'publishing a year creates it',
  CalendarController_changes: 'every scope and year has a calendar; no re-projection yet is an empty list',
  PromisedTimeController_promisedTime: 'a procedure with no version in force is a 422, as at intake',
  ApplicantFilesController_reusable:
    'an applicant with no file in the caller’s units is an empty list: a 404 would tell who has dossiers elsewhere',
};

interface Operation {
  id: string;
  label: string;
  path: string;
  op: OperationObject;
}

interface Route {
  id: string;
  controller: Type;
  method: string;
  isPublic: boolean;
  /** Public, but a token, when sent, is checked (SignInOptional). */
  signInOptional: boolean;
  roles: string[] | undefined;
}

type ModuleRef = Type | DynamicModule | { forwardRef: () => ModuleRef };

/** Every controller the application module reaches, from the modules' metadata (no application is built). */
function controllersOf(ref: ModuleRef, seen = new Set<unknown>()): Type[] {
  const module = 'forwardRef' in ref ? ref.forwardRef() : ref;
  if (seen.has(module)) {
    return [];
  }
  seen.add(module);
  const dynamic = 'module' in module ? module : undefined;
  const type = dynamic ? dynamic.module : (module as Type);
  const own = [
    ...((Reflect.getMetadata('controllers', type) as Type[] | undefined) ?? []),
    ...(dynamic?.controllers ?? []),
  ];
  const imports = [
    ...((Reflect.getMetadata('imports', type) as ModuleRef[] | undefined) ?? []),
    ...((dynamic?.imports as ModuleRef[] | undefined) ?? []),
  ];
  return [...own, ...imports.flatMap((m) => controllersOf(m, seen))];
}

function routesOf(controller: Type): Route[] {
  const proto = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto)
    .filter((name) => name !== 'constructor' && typeof proto[name] === 'function')
    .filter((name) => Reflect.getMetadata(METHOD_METADATA, proto[name] as object) !== undefined)
    .filter((name) => Reflect.getMetadata(PATH_METADATA, proto[name] as object) !== undefined)
    .map((name) => {
      const handler = proto[name] as object;
      const own = <T>(key: string): T | undefined =>
        (Reflect.getMetadata(key, handler) as T | undefined) ?? (Reflect.getMetadata(key, controller) as T | undefined);
      return {
        id: operationIdOf(controller.name, name),
        controller,
        method: name,
        isPublic: own<boolean>(IS_PUBLIC) === true,
        signInOptional: own<boolean>(OPTIONAL_SIGN_IN) === true,
        roles: own<string[]>(REQUIRED_ROLES),
      };
    });
}

/** Properties a class validates (inherited ones included): what a client may send. */
const validatedProperties = (type: Type): string[] => [
  ...new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(type, '', true, false)
      .map((m) => m.propertyName),
  ),
];

/** The arguments of a handler taken whole from the query or the body, with their classes. */
function dtoArguments(route: Route, kind: RouteParamtypes): Type[] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controller, route.method) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const types = (Reflect.getMetadata('design:paramtypes', route.controller.prototype as object, route.method) ??
    []) as Type[];
  return Object.entries(args)
    .filter(([key, arg]) => key === `${kind}:${arg.index}` && arg.data === undefined)
    .map(([, arg]) => types[arg.index])
    .filter((type) => type !== undefined && type !== Object && validatedProperties(type).length > 0);
}

describe('OpenAPI document', () => {
  let document: OpenAPIObject;
  let operations: Operation[];
  let routes: Route[];

  const resolve = <T extends object>(x: T | ReferenceObject): T => {
    if (!('$ref' in x)) {
      return x;
    }
    const name = x.$ref.replace('#/components/schemas/', '');
    return document.components?.schemas?.[name] as T;
  };
  const parameters = (o: Operation): ParameterObject[] =>
    (o.op.parameters ?? []).map((p) => resolve<ParameterObject>(p));
  const pathParameters = (o: Operation): string[] => [...o.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  const response = (o: Operation, status: string | number): ResponseObject | undefined =>
    o.op.responses[status] as ResponseObject | undefined;
  const problem = (o: Operation, status: number): boolean =>
    response(o, status)?.content?.[PROBLEM_MEDIA_TYPE]?.schema !== undefined;
  const byId = (id: string): Operation | undefined => operations.find((o) => o.id === id);

  beforeAll(async () => {
    document = await createOpenApiDocument();
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.flatMap((method) => {
        const op = item[method];
        return op ? [{ id: op.operationId ?? '', label: `${method.toUpperCase()} ${path}`, path, op }] : [];
      }),
    );
    routes = [...new Set(controllersOf(AppModule.forRoot(documentConfig())))]
      .filter((c) => !UNDOCUMENTED.includes(c))
      .flatMap(routesOf);
  });

  it('documents every route of every controller, each under a unique operationId', () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => !byId(r.id)).map((r) => r.id)).toEqual([]);
    const ids = operations.map((o) => o.id);
    expect(ids.filter((id, i) => id === '' || ids.indexOf(id) !== i)).toEqual([]);
  });

  it('declares each {param} of a path as a required path parameter', () => {
    const missing = operations.flatMap((o) =>
      pathParameters(o)
        .filter((name) => !parameters(o).some((p) => p.in === 'path' && p.name === name && p.required === true))
        .map((name) => `${o.label}: {${name}}`),
    );
    expect(missing).toEqual([]);
  });

  it('gives every operation a success response, with a body schema unless it is 204', () => {
    const wrong = operations.flatMap((o) => {
      const success = Object.keys(o.op.responses).filter((status) => /^2\d\d$/.test(status));
      if (success.length === 0) {
        return [`${o.label}: no 2xx response`];
      }
      return success
        .filter((status) => {
          const content = response(o, status)?.content;
          return status !== '204' && (!content || Object.values(content).some((media) => !media.schema));
        })
        .map((status) => `${o.label}: ${status} has no body schema`);
    });
    expect(wrong).toEqual([]);
  });

  it('requires a bearer token exactly on the non-public routes (optional where a token adds detail), and documents their 401 as problem+json', () => {
    const wrong = routes.flatMap((r) => {
      const o = byId(r.id);
      if (!o) {
        return [];
      }
      const bearer = (o.op.security ?? []).some((s) => 'bearer' in s);
      if (r.signInOptional) {
        // Optional security in OpenAPI: no requirement, or a bearer token (then checked: a bad one is a 401).
        const anonymous = (o.op.security ?? []).some((s) => Object.keys(s).length === 0);
        return [
          ...(bearer && anonymous ? [] : [`${o.label}: token optional, documented without {} and bearer security`]),
          ...(problem(o, 401) ? [] : [`${o.label}: no 401 problem+json`]),
        ];
      }
      if (r.isPublic) {
        return bearer ? [`${o.label}: public, yet documented with a bearer token`] : [];
      }
      return [
        ...(bearer ? [] : [`${o.label}: needs a token, documented without bearer security`]),
        ...(problem(o, 401) ? [] : [`${o.label}: no 401 problem+json`]),
      ];
    });
    expect(wrong).toEqual([]);
  });

  it('documents 403 as problem+json where roles are required', () => {
    const wrong = routes
      .filter((r) => r.roles !== undefined && r.roles.length > 0)
      .map((r) => byId(r.id))
      .filter((o): o is Operation => o !== undefined && !problem(o, 403))
      .map((o) => o.label);
    expect(wrong).toEqual([]);
  });

  it('documents 404 as problem+json on operations that look something up by path', () => {
    const wrong = operations
      .filter((o) => pathParameters(o).length > 0 && !(o.id in NO_LOOKUP_BY_PATH) && !problem(o, 404))
      .map((o) => o.label);
    expect(wrong).toEqual([]);
  });

  it('documents 422 as problem+json on operations that validate a body, query or path', () => {
    const wrong = routes
      .filter((r) =>
        [RouteParamtypes.BODY, RouteParamtypes.QUERY, RouteParamtypes.PARAM].some((k) => dtoArguments(r, k).length > 0),
      )
      .map((r) => byId(r.id))
      .filter((o): o is Operation => o !== undefined && !problem(o, 422))
      .map((o) => o.label);
    expect(wrong).toEqual([]);
  });

  it('declares every validated query property as a query parameter', () => {
    const missing = routes.flatMap((r) => {
      const o = byId(r.id);
      const declared = o
        ? parameters(o)
            .filter((p) => p.in === 'query')
            .map((p) => p.name)
        : [];
      return dtoArguments(r, RouteParamtypes.QUERY).flatMap((type) =>
        validatedProperties(type)
          .filter((name) => !declared.includes(name))
          .map((name) => `${o?.label ?? r.id}: ?${name} (${type.name})`),
      );
    });
    expect(missing).toEqual([]);
  });

  it('describes every validated body property', () => {
    const missing = routes.flatMap((r) => {
      const o = byId(r.id);
      const body = o?.op.requestBody ? resolve(o.op.requestBody) : undefined;
      // JSON, or the form fields of an upload
      const schema = body?.content?.['application/json']?.schema ?? body?.content?.['multipart/form-data']?.schema;
      const properties = Object.keys((schema ? resolve<SchemaObject>(schema) : undefined)?.properties ?? {});
      return dtoArguments(r, RouteParamtypes.BODY).flatMap((type) =>
        validatedProperties(type)
          .filter((name) => !properties.includes(name))
          .map((name) => `${o?.label ?? r.id}: body.${name} (${type.name})`),
      );
    });
    expect(missing).toEqual([]);
  });

  it('has no opaque object schema (a client would type it as an empty object)', () => {
    const opaque: string[] = [];
    const visit = (node: unknown, at: string): void => {
      if (Array.isArray(node)) {
        node.forEach((x, i) => visit(x, `${at}/${i}`));
        return;
      }
      if (!node || typeof node !== 'object') {
        return;
      }
      const schema = node as SchemaObject;
      const composed = schema.allOf ?? schema.oneOf ?? schema.anyOf;
      if (schema.type === 'object' && !schema.properties && schema.additionalProperties === undefined && !composed) {
        opaque.push(at);
      }
      if (schema.type === 'array' && !schema.items) {
        opaque.push(at);
      }
      Object.entries(node).forEach(([key, value]) => {
        if (key !== 'example' && key !== 'examples') {
          visit(value, `${at}/${key}`);
        }
      });
    };
    visit(document.paths, '#/paths');
    visit(document.components?.schemas, '#/components/schemas');
    expect(opaque).toEqual([]);
  });
});
