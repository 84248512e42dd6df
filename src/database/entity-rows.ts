import type { DataSource, EntityMetadata, EntityTarget } from 'typeorm';

/** Whole entities over plain SQL, each column converted by the driver as TypeORM's finders do. */
export class EntityRows<T extends object> {
  /** `"id", "email", …`, or `u."id", u."email", …` with a table alias. */
  readonly columns: string;
  private readonly metadata: EntityMetadata;

  constructor(
    private readonly dataSource: DataSource,
    entity: EntityTarget<T>,
    alias?: string,
  ) {
    this.metadata = dataSource.getMetadata(entity);
    const prefix = alias === undefined ? '' : `${alias}.`;
    this.columns = this.metadata.columns.map((column) => `${prefix}"${column.databaseName}"`).join(', ');
  }

  toEntity(row: Record<string, unknown>): T {
    const entity = this.metadata.create() as T;
    for (const column of this.metadata.columns) {
      column.setEntityValue(entity, this.dataSource.driver.prepareHydratedValue(row[column.databaseName], column));
    }
    return entity;
  }

  /** JSON columns are sent as JSON text, so that an array stays a JSON array. */
  assignments(changes: Partial<T>, firstParameter: number): { sql: string; values: unknown[] } {
    const sql: string[] = [];
    const values: unknown[] = [];
    for (const [property, value] of Object.entries(changes)) {
      const column = this.metadata.findColumnWithPropertyName(property);
      if (!column) throw new Error(`No column for ${property}`);
      values.push(column.type === 'jsonb' ? JSON.stringify(value) : value);
      sql.push(`"${column.databaseName}" = $${firstParameter + values.length - 1}`);
    }
    return { sql: sql.join(', '), values };
  }
}
