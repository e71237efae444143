import type { GlobalPosition, RecordedEvent } from '@pool/event-sourcing';
import { lockGeneration, physicalTable } from './generations';
import type { SqlExecutor } from './read-model-database';
import type { Projection } from './projection';

/**
 * A closing image: a copy of every table of every projection (meta tables included) as they stood right after one
 * event, taken by the live projector in the transaction that applied that event. The composer chooses the events
 * (the books closings: libs/domain closesBooks), so a rebuild can start from the newest image instead of the ledger's
 * first event and replay only what came after it. An image is a function of the events before it, like any table:
 * it stays valid across generations, for as long as each projection keeps the version it was taken at.
 *
 * Tables `<table>__i<image>`; one row per projection in projection_images.
 */
export interface ClosingImage {
  image: number;
  /** The event after which it was taken. */
  position: GlobalPosition;
  projections: { name: string; version: number; checkpoint: GlobalPosition | null }[];
}

export const imageTable = (table: string, image: number): string => `${table}__i${image}`;

export const IMAGES_SCHEMA = `
  CREATE TABLE IF NOT EXISTS projection_images (
    image integer NOT NULL,
    name varchar(100) NOT NULL,
    version integer NOT NULL,
    position varchar(64) NOT NULL,
    checkpoint varchar(64),
    "createdAt" bigint NOT NULL,
    PRIMARY KEY (image, name)
  )`;

/** Images, newest first. */
export async function listImages(sql: SqlExecutor): Promise<ClosingImage[]> {
  const rows = await sql.query<{ image: number | string; name: string; version: number | string; position: string; checkpoint: string | null }>(
    'SELECT image, name, version, position, checkpoint FROM projection_images ORDER BY image DESC, name',
  );
  const images = new Map<number, ClosingImage>();
  for (const row of rows) {
    const image = Number(row.image);
    let entry = images.get(image);
    if (entry === undefined) images.set(image, (entry = { image, position: row.position as GlobalPosition, projections: [] }));
    entry.projections.push({ name: row.name, version: Number(row.version), checkpoint: (row.checkpoint as GlobalPosition | null) ?? null });
  }
  return [...images.values()];
}

/**
 * Copies each projection's tables of `generation` into a new image after `position`, then drops all but the newest
 * `keep` images. In the caller's transaction: the image is exactly the tables that committed with that event.
 */
export async function takeImage(
  sql: SqlExecutor,
  sources: readonly { projection: Projection; generation: number; checkpoint: GlobalPosition | null }[],
  position: GlobalPosition,
  keep: number,
): Promise<number> {
  const [max] = await sql.query<{ max: number | string | null }>('SELECT max(image) AS max FROM projection_images');
  const image = Number(max?.max ?? 0) + 1;
  const now = Date.now();
  for (const { projection, generation, checkpoint } of sources) {
    for (const table of projection.tables) {
      const name = imageTable(table.name, image);
      await sql.query(`DROP TABLE IF EXISTS ${name}`);
      // No keys nor indexes: an image is read once, whole, by a rebuild that copies it into a keyed generation.
      await sql.query(`CREATE TABLE ${name} AS SELECT * FROM ${physicalTable(table.name, generation)}`);
    }
    await sql.query('INSERT INTO projection_images (image, name, version, position, checkpoint, "createdAt") VALUES (?, ?, ?, ?, ?, ?)', [
      image,
      projection.name,
      projection.version,
      position,
      checkpoint,
      now,
    ]);
  }
  await dropImagesBefore(sql, image - keep + 1, sources.map((s) => s.projection));
  return image;
}

/** Drops every image older than `oldestKept`: its rows, and the tables of the projections given. */
async function dropImagesBefore(sql: SqlExecutor, oldestKept: number, projections: readonly Projection[]): Promise<void> {
  const old = await sql.query<{ image: number | string }>('SELECT DISTINCT image FROM projection_images WHERE image < ?', [oldestKept]);
  for (const { image } of old) {
    for (const projection of projections) for (const table of projection.tables) await sql.query(`DROP TABLE IF EXISTS ${imageTable(table.name, Number(image))}`);
  }
  if (old.length > 0) await sql.query('DELETE FROM projection_images WHERE image < ?', [oldestKept]);
}

/** Fills a fresh generation's tables of `projection` from `image` (the columns are the same: one TableSpec made both). */
export async function restoreImage(sql: SqlExecutor, projection: Projection, image: number, generation: number): Promise<void> {
  for (const table of projection.tables) {
    await sql.query(`INSERT INTO ${physicalTable(table.name, generation)} SELECT * FROM ${imageTable(table.name, image)}`);
  }
}

/** The image's entry for `projection`, refused when missing or taken by another version of its fold. */
export function imageOf(image: ClosingImage, projection: Projection): ClosingImage['projections'][number] {
  const taken = image.projections.find((p) => p.name === projection.name);
  if (taken === undefined) throw new Error(`closing image ${image.image} holds no tables of ${projection.name}: rebuild it from zero`);
  if (taken.version !== projection.version) {
    throw new Error(`closing image ${image.image} holds version ${taken.version} of ${projection.name}, the code folds version ${projection.version}: rebuild it from zero`);
  }
  return taken;
}

/** `events` split after each event of `types` (the batch whole when there is none). */
export function splitAfter(events: readonly RecordedEvent[], types: ReadonlySet<string>): (readonly RecordedEvent[])[] {
  if (types.size === 0) return [events];
  const parts: (readonly RecordedEvent[])[] = [];
  let start = 0;
  for (let i = 0; i < events.length; i++) {
    if (!types.has(events[i]!.type)) continue;
    parts.push(events.slice(start, i + 1));
    start = i + 1;
  }
  if (start < events.length) parts.push(events.slice(start));
  return parts;
}

/**
 * Images every projection after `position` when every one stands exactly there; undefined otherwise. A projection
 * ahead of the others (one kept while another was rebuilt for a new version) already holds events after it, so the
 * tables are imaged at a later closing instead.
 */
export async function imageIfAligned(
  sql: SqlExecutor,
  projections: readonly Projection[],
  generations: ReadonlyMap<Projection, number>,
  position: GlobalPosition,
  keep: number,
): Promise<number | undefined> {
  const sources: { projection: Projection; generation: number; checkpoint: GlobalPosition | null }[] = [];
  for (const projection of projections) {
    const generation = generations.get(projection);
    const row = generation === undefined ? undefined : await lockGeneration(sql, projection.name, generation);
    if (generation === undefined || row === undefined || (row.position !== null && row.position > position)) return undefined;
    sources.push({ projection, generation, checkpoint: row.position });
  }
  return takeImage(sql, sources, position, keep);
}
