import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { boolTransformer, intTransformer, Role } from '@stackgate/platform';
import { User } from './user.entity';

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  active: boolean;
  tokenVersion: number;
  roles: Role[];
}

/** User reads that always bring the roles along, in one query. */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // getOne() on a join is one SELECT; findOne({ relations }) adds a DISTINCT-ids query before it
  // (TypeORM's pagination form), which the guard paid on every request.
  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager
      .getRepository(User)
      .createQueryBuilder('User')
      .leftJoinAndSelect('User.roleRows', 'role')
      .where('User.id = :id', { id })
      .getOne();
  }

  /**
   * What the auth guard checks on every request, in one small SELECT without entity hydration:
   * the account's id, e-mail, name, active flag, token version and sorted roles; null when unknown.
   */
  async findSessionById(id: string): Promise<SessionUser | null> {
    const rows = await this.dataSource.manager.query<
      { id: string; email: string; displayName: string; active: unknown; tokenVersion: unknown; role: Role | null }[]
    >(
      'SELECT u.id AS id, u.email AS email, u.displayName AS displayName, u.active AS active, u.tokenVersion AS tokenVersion, r.role AS role ' +
        'FROM users u LEFT JOIN user_roles r ON r.userId = u.id WHERE u.id = ?',
      [id],
    );
    if (!rows.length) return null;
    const first = rows[0];
    return {
      id: first.id,
      email: first.email,
      displayName: first.displayName,
      active: boolTransformer.from(first.active) as boolean,
      tokenVersion: intTransformer.from(first.tokenVersion) as number,
      roles: rows
        .map((r) => r.role)
        .filter((r): r is Role => r !== null)
        .sort(),
    };
  }

  findByEmail(email: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager
      .getRepository(User)
      .createQueryBuilder('User')
      .leftJoinAndSelect('User.roleRows', 'role')
      .where('User.email = :email', { email: email.trim().toLowerCase() })
      .getOne();
  }
}
