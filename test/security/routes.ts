import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, MODULE_PATH, PATH_METADATA } from '@nestjs/common/constants';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ANY_ROLE, PUBLIC_KEY, ROLES_KEY } from '@stackgate/platform';

export const API_PREFIX = '/api/v1';

/** One route as Nest registered it, with the access metadata of its handler. */
export interface RegisteredRoute {
  method: string;
  path: string;
  public: boolean;
  /** The @Allow list (may contain 'ANY'); undefined when the handler has none (closed). */
  roles: string[] | undefined;
  controller: string;
  handler: string;
}

const join = (...parts: (string | undefined)[]) =>
  '/' +
  parts
    .filter((p) => p !== undefined && p !== '' && p !== '/')
    .map((p) => p!.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');

/**
 * Walks the controllers of every module in the Nest container (the same metadata the router
 * reads), so the list is what the app serves, not what a test author remembers to list.
 */
export function controllerRoutes(app: NestExpressApplication): RegisteredRoute[] {
  type Modules = Map<string, { metatype: object; controllers: Map<unknown, { metatype: unknown }> }> & { applicationId?: string };
  const modules = (app as unknown as { container: { getModules(): Modules } }).container.getModules();
  const out: RegisteredRoute[] = [];
  for (const mod of modules.values()) {
    // RouterModule keys the module path by the container's application id.
    const modulePath: string | undefined =
      Reflect.getMetadata(MODULE_PATH + (modules.applicationId ?? ''), mod.metatype) ?? Reflect.getMetadata(MODULE_PATH, mod.metatype);
    for (const wrapper of mod.controllers.values()) {
      const ctrl = wrapper.metatype as (new (...a: unknown[]) => unknown) | undefined;
      if (!ctrl) continue;
      const ctrlPaths = [Reflect.getMetadata(PATH_METADATA, ctrl)].flat() as string[];
      const proto = ctrl.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (name === 'constructor') continue;
        const fn = proto[name];
        if (typeof fn !== 'function') continue;
        const mPath = Reflect.getMetadata(PATH_METADATA, fn);
        const mMethod = Reflect.getMetadata(METHOD_METADATA, fn);
        if (mPath === undefined || mMethod === undefined) continue;
        for (const cp of ctrlPaths) {
          for (const methodPath of [mPath].flat() as string[]) {
            out.push({
              method: RequestMethod[mMethod as number],
              path: join(modulePath, cp, methodPath),
              public: Reflect.getMetadata(PUBLIC_KEY, fn) === true || Reflect.getMetadata(PUBLIC_KEY, ctrl) === true,
              roles: Reflect.getMetadata(ROLES_KEY, fn) ?? Reflect.getMetadata(ROLES_KEY, ctrl),
              controller: ctrl.name,
              handler: name,
            });
          }
        }
      }
    }
  }
  return out;
}

/** The (METHOD path) pairs of routes actually mounted on the Express router. */
export function expressRoutes(app: NestExpressApplication): Set<string> {
  const instance = app.getHttpAdapter().getInstance() as {
    router?: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
    _router?: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  const stack = (instance.router ?? instance._router)!.stack;
  const out = new Set<string>();
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const method of Object.keys(layer.route.methods)) out.add(`${method.toUpperCase()} ${layer.route.path}`);
  }
  return out;
}

/** The /api/v1 routes, checked to be mounted on Express. */
export function apiRoutes(app: NestExpressApplication): RegisteredRoute[] {
  const mounted = expressRoutes(app);
  const routes = controllerRoutes(app).filter((r) => r.path.startsWith(API_PREFIX + '/'));
  const missing = routes.filter((r) => !mounted.has(`${r.method} ${r.path}`));
  if (missing.length)
    throw new Error(`controller routes not mounted on Express: ${missing.map((r) => `${r.method} ${r.path}`).join(', ')}`);
  return routes;
}

export const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
export { ANY_ROLE };
