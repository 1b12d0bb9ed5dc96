import type { MigrationBuilder } from 'node-pg-migrate';

// Who this Trellis installation is and when it first started: written once, kept forever.
export function up(pgm: MigrationBuilder): void {
  pgm.createTable('trellis_instance', {
    id: { type: 'uuid', primaryKey: true, default: pgm.func('gen_random_uuid()') },
    created_at: { type: 'timestamptz', notNull: true, default: pgm.func('now()') },
    singleton: { type: 'boolean', notNull: true, default: true, unique: true, check: 'singleton' },
  });
  pgm.sql('insert into trellis_instance default values');
}

export function down(pgm: MigrationBuilder): void {
  pgm.dropTable('trellis_instance');
}
