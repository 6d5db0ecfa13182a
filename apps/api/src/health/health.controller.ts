import { Controller, Get, HttpException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '@stackgate/platform';

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @ApiOperation({ summary: 'Health check: the API and its database answer' })
  @Get()
  @Public()
  @ApiOkResponse({ description: 'The API and its database answer' })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer' })
  async health(): Promise<{ status: 'ok'; database: 'up' }> {
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 3000);
      return { status: 'ok', database: 'up' };
    } catch {
      throw new HttpException(
        { message: 'The database does not answer', code: 'DATABASE_UNAVAILABLE', details: { database: 'down' } },
        503,
      );
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
