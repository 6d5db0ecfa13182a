import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from './metrics';

/**
 * Counts every answer and its latency by route pattern (`/api/v1/tools/:id`, never the concrete
 * path: the label set stays bounded), including the ones a guard, a filter or a missing route
 * gave. Requests no route matched share the label `unmatched`; static assets `/assets`.
 */
export function httpMetricsMiddleware(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const labels = { method: req.method, route: routeLabel(req), status: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  };
}

function routeLabel(req: Request): string {
  const route = (req as unknown as { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return route.path;
  return req.path.startsWith('/assets/') ? '/assets' : 'unmatched';
}
