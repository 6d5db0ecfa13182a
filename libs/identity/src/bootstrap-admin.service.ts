import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, Role, withTransaction } from '@stackgate/platform';
import { User } from './users/user.entity';
import { UsersService } from './users/users.service';

/** On a database with no users, creates the first admin from BOOTSTRAP_ADMIN_EMAIL/PASSWORD. */
@Injectable()
export class BootstrapAdminService {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
  ) {}

  async run(): Promise<boolean> {
    const { bootstrapAdminEmail: email, bootstrapAdminPassword: password } = this.config;
    if (!email || !password) return false;
    if ((await this.dataSource.getRepository(User).count()) > 0) return false;
    await withTransaction(this.dataSource, (m) =>
      this.users.createWith(m, { email, password, displayName: 'Administrator', roles: [Role.ADMIN] }),
    );
    this.logger.log({ msg: 'created the first administrator', email });
    return true;
  }
}
