import { QueryRunner, TableColumnOptions, TableForeignKeyOptions } from 'typeorm';

/** Set by the data-source builder from DB_FOREIGN_KEYS before migrations run. */
const settings = { foreignKeys: true };
export function setMigrationSettings(options: { foreignKeys: boolean }) {
  settings.foreignKeys = options.foreignKeys;
}

export function isMysqlFamily(qr: QueryRunner): boolean {
  const type = qr.dataSource.options.type;
  return type === 'mysql' || type === 'mariadb';
}

/**
 * Column builders for migrations that produce the same logical schema on MariaDB/MySQL and
 * SQLite: UUID keys as varchar(36), datetimes with milliseconds, BIGINT money, text JSON.
 */
export function columns(qr: QueryRunner) {
  const mysql = isMysqlFamily(qr);
  const nullability = (nullable?: boolean) => ({ isNullable: !!nullable });
  return {
    id: (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: true }),
    uuid: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '36', ...nullability(nullable) }),
    varchar: (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      ...nullability(nullable),
    }),
    text: (name: string, nullable = true): TableColumnOptions => ({ name, type: mysql ? 'mediumtext' : 'text', ...nullability(nullable) }),
    int: (name: string, nullable = false, dflt?: number): TableColumnOptions => ({
      name,
      type: mysql ? 'int' : 'integer',
      ...nullability(nullable),
      ...(dflt !== undefined ? { default: dflt } : {}),
    }),
    bigint: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', ...nullability(nullable) }),
    bool: (name: string, dflt = false): TableColumnOptions => ({
      name,
      type: 'boolean',
      isNullable: false,
      default: dflt ? (mysql ? 1 : 1) : 0,
    }),
    datetime: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: 'datetime',
      ...(mysql ? { precision: 3 } : {}),
      ...nullability(nullable),
    }),
    date: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'date', ...nullability(nullable) }),
    timestamps: (): TableColumnOptions[] => [
      { name: 'createdAt', type: 'datetime', ...(mysql ? { precision: 3 } : {}), isNullable: false },
      { name: 'updatedAt', type: 'datetime', ...(mysql ? { precision: 3 } : {}), isNullable: false },
    ],
    version: (): TableColumnOptions => ({ name: 'version', type: mysql ? 'int' : 'integer', isNullable: false, default: 1 }),
  };
}

/** Foreign keys unless DB_FOREIGN_KEYS=false (for engines such as Vitess that lack them). */
export function foreignKeys(fks: TableForeignKeyOptions[]): TableForeignKeyOptions[] {
  return settings.foreignKeys ? fks : [];
}

export function fk(column: string, table: string, onDelete: 'RESTRICT' | 'CASCADE' | 'SET NULL' = 'RESTRICT'): TableForeignKeyOptions {
  return { columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete };
}
