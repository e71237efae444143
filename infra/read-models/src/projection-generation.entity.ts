import { Column, Entity, PrimaryColumn } from 'typeorm';

export type GenerationStatus = 'building' | 'active' | 'retired';

/**
 * One set of tables of one projection. Rebuilds write a new generation beside the active one and
 * switch over when caught up; the checkpoint lives here, updated in the same transaction as the rows.
 */
@Entity({ name: 'projection_generations' })
export class ProjectionGeneration {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  name!: string;

  @PrimaryColumn({ type: 'integer' })
  generation!: number;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: GenerationStatus;

  /** Global position of the last event applied, or null before the first. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  position!: string | null;

  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  updatedAt!: number;
}
