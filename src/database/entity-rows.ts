import type { DataSource, EntityMetadata, EntityTarget } from 'typeorm';

/**
 * Whole entities over plain SQL: every column of the entity for a SELECT or a RETURNING, and each row turned into
 * the entity through the driver's own conversion of each column (dates, transformers), as TypeORM's finders do.
 */
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
}
