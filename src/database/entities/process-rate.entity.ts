import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

import { PROCESS_TYPES, type ProcessType } from './legacy-enums';

@Entity('process_rates')
@Index('ix_process_rates_id', ['id'])
@Unique('process_rates_process_type_key', ['processType'])
export class ProcessRate {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'process_rates_pkey' })
  id: number;

  @Column({ type: 'enum', enum: PROCESS_TYPES, enumName: 'processtype' })
  processType: ProcessType;

  @Column({ type: 'double precision' })
  ratePerHour: number;

  @Column({ type: 'varchar', nullable: true })
  description: string | null;

  @Column({ type: 'timestamp', nullable: true })
  updatedAt: Date | null;
}
