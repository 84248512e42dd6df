import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('customers')
@Index('ix_customers_id', ['id'])
export class Customer {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'customers_pkey' })
  id: number;

  @Column({ type: 'varchar' })
  name: string;

  @Column({ type: 'varchar', nullable: true })
  company: string | null;

  @Column({ type: 'varchar', nullable: true })
  email: string | null;

  @Column({ type: 'varchar', nullable: true })
  phone: string | null;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ type: 'timestamp', nullable: true })
  createdAt: Date | null;
}
