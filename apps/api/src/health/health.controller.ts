import { Controller, Get, HttpException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppLifecycle, Public } from '@stackgate/platform';
import { ReadinessChecks } from './readiness';

const DB_TIMEOUT_MS = 3000;

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  private readonly readiness: ReadinessChecks;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lifecycle: AppLifecycle,
  ) {
    this.readiness = new ReadinessChecks(dataSource, DB_TIMEOUT_MS);
  }

  @ApiOperation({ summary: 'Health check: the API and its database answer' })
  @Get()
  @Public()
  @ApiOkResponse({ description: 'The API and its database answer' })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer' })
  async health(): Promise<{ status: 'ok'; database: 'up' }> {
    try {
      await this.readiness.database();
      return { status: 'ok', database: 'up' };
    } catch {
      throw new HttpException(
        { message: 'The database does not answer', code: 'DATABASE_UNAVAILABLE', details: { database: 'down' } },
        503,
      );
    }
  }

  @ApiOperation({
    summary: 'Liveness: the process is up and serving (for a load balancer or an orchestrator; never touches the database)',
  })
  @Get('live')
  @Public()
  @ApiOkResponse({ description: 'The process answers' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @ApiOperation({
    summary:
      'Readiness: this instance should get traffic. The database answers, every migration of this version is applied, ' +
      'the Galera node (when the database is one) is Synced, and the instance is not shutting down',
  })
  @Get('ready')
  @Public()
  @ApiOkResponse({ description: '{status: "ready", checks: {database, migrations, cluster}}' })
  @ApiServiceUnavailableResponse({ description: 'NOT_READY, with the check that failed in details' })
  async ready(): Promise<{ status: 'ready'; checks: Record<string, string> }> {
    const checks = this.lifecycle.draining ? { instance: 'shutting_down' } : await this.readiness.run();
    if (Object.values(checks).some((value) => !READY_VALUES.has(value)))
      throw new HttpException({ message: 'This instance is not ready for traffic', code: 'NOT_READY', details: checks }, 503);
    return { status: 'ready', checks };
  }
}

const READY_VALUES = new Set(['up', 'applied', 'Synced', 'none']);
