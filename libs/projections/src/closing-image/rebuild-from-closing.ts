import { BOOKS_CLOSINGS_STREAM, type BooksClosed } from '@pool/domain';
import { StreamNotFoundError, type EventStore } from '@pool/event-sourcing';
import { listImages, type ClosingImage, type Projection, type Projector, type ReadModelDatabase, type RebuildCount } from '@pool/read-models';
import { closingImageDifference } from './closing-image.check';

export interface ClosingRebuild {
  closing: BooksClosed['data'];
  image: ClosingImage;
  count: RebuildCount;
}

async function booksClosings(store: EventStore): Promise<BooksClosed['data'][]> {
  try {
    return (await store.readStream(BOOKS_CLOSINGS_STREAM)).map((e) => e.data as BooksClosed['data']);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
}

/**
 * Rebuilds `projections` from the newest closing image taken at a books closing (the live projector images every
 * table after each settlement; the closer records the closing a moment later): the image's money is checked against
 * that closing's snapshot first, and a difference refuses the image, naming it. Then only the events after the
 * closing are replayed, and the views switch over as after a rebuild from zero.
 */
export async function rebuildFromLatestClosing(store: EventStore, db: ReadModelDatabase, projector: Projector, projections: readonly Projection[]): Promise<ClosingRebuild> {
  const closings = new Map((await booksClosings(store)).map((c) => [c.closedPosition, c]));
  const images = await listImages(db.executor());
  const image = images.find((i) => closings.has(i.position));
  if (image === undefined) {
    throw new Error(
      `no closing image was taken at a books closing (${images.length} image(s), ${closings.size} closing(s)): rebuild from zero; ` +
        'the live projector images the tables at each settlement it applies',
    );
  }
  const closing = closings.get(image.position)!;
  const difference = await closingImageDifference(db.executor(), image.image, closing);
  if (difference !== null) throw new Error(`closing image ${image.image} (books closing ${closing.sequence}, position ${image.position}) refused: ${difference}`);
  return { closing, image, count: await projector.rebuildFromImage(image, projections) };
}
