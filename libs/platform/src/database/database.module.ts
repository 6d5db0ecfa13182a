import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { MixedList } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions, ClassType } from './data-source-options';
import { setMigrationSettings } from './migration-columns';

@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig, migrations: MixedList<ClassType>): DynamicModule {
    setMigrationSettings({ foreignKeys: config.dbForeignKeys });
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({
          ...buildDataSourceOptions(config.dbUrl, { poolSize: config.dbPoolSize, migrations, logging: config.logLevel === 'debug' }),
          autoLoadEntities: true,
          retryAttempts: 3,
          retryDelay: 1000,
        }),
      ],
    };
  }
}
