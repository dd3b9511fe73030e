/**
 * @module store/schema
 * The version of the index's layout and the migrations between versions. An index written by a newer
 * version is refused with a clear error; an older one is migrated, or rebuilt when no migration exists.
 */

/** The layout this code writes. Raise it with every change to what is stored or how. */
export const SCHEMA_VERSION = 8;

/** What a migration may do to the store, inside the write transaction that runs it. */
export interface MigrationContext {
  /** Drops everything, the version too: the next index run rebuilds from the source files. */
  clearAll(): void;
  setSchema(schema: number): void;
}

/** Migrations by the version they start from; older layouts without one are rebuilt. */
const MIGRATIONS = new Map<number, (context: MigrationContext) => void>([
  // 7 added the change history (a new database, empty until a live update) and `structureGeneration`
  // (absent: the structure is current): a version 6 index is a valid version 7 one.
  [6, () => undefined],
  // 8 stores node details as JSON instead of msgpack: no migration, the index is rebuilt.
]);

/** Brings an index from `from` up to {@link SCHEMA_VERSION}; what no migration covers is rebuilt. */
export function migrate(from: number, context: MigrationContext): 'migrated' | 'rebuilt' {
  let version = from;
  while (version < SCHEMA_VERSION) {
    const step = MIGRATIONS.get(version);
    if (!step) {
      context.clearAll();
      return 'rebuilt';
    }
    step(context);
    version++;
    context.setSchema(version);
  }
  return 'migrated';
}
