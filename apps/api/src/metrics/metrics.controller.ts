import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig, Metrics, Public } from '@stackgate/platform';

/**
 * Prometheus metrics, for the operator's scraper only: `Authorization: Bearer <METRICS_TOKEN>`.
 * Without METRICS_TOKEN the endpoint does not exist (404). Not in the API documentation: it is
 * not part of the API and answers Prometheus's text format.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly expected?: Buffer;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    if (config.operations.metricsToken) this.expected = digest(config.operations.metricsToken);
  }

  @Get()
  @Public()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    // Answered here, not thrown: outside /api the error filter sends browsers to the sign-in page.
    if (!this.expected) {
      res.status(404).json({ statusCode: 404, error: 'Not Found', message: 'Not Found', code: 'NOT_FOUND' });
      return;
    }
    const presented = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    // compared as digests: constant time whatever the length presented
    if (!presented || !timingSafeEqual(digest(presented), this.expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res
        .status(401)
        .json({ statusCode: 401, error: 'Unauthorized', message: 'The metrics token is missing or wrong', code: 'UNAUTHORIZED' });
      return;
    }
    const { contentType, body } = await this.metrics.scrape();
    res.setHeader('Content-Type', contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();
