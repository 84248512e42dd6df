import type { DataSource } from 'typeorm';

export interface PoolStatistics {
  inUse: number;
  idle: number;
  waiting: number;
}

export function poolStatistics(dataSource: DataSource): PoolStatistics {
  const pool = (dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
  if (!pool) return { inUse: 0, idle: 0, waiting: 0 };
  return { inUse: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount };
}
