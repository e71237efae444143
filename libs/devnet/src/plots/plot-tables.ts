/**
 * What a plotted plot keeps to answer challenges: the table-7 outputs and, for every table, the back-pointers of
 * the entries some table-7 entry depends on (entries nothing reaches are dropped, as chiapos phase 2 does).
 * Index conventions: table t (2..7) entry i has its left child at pointers[t-2][2i] and its right child at
 * pointers[t-2][2i+1], both indices into table t-1; table-1 entry i is the x value xs[i].
 */
export interface PlotTables {
  readonly k: number;
  readonly plotId: Uint8Array;
  /** Top k bits of each table-7 output, ascending; entry i of table 7 is the one with f7[i]. */
  readonly f7: Uint32Array;
  /** Back-pointers of tables 2..7 (array index t-2). */
  readonly pointers: readonly Uint32Array[];
  /** x values of the table-1 entries still referenced. */
  readonly xs: Uint32Array;
}

/** Entry counts per table, 1..7 (index t-1), after dropping unreachable entries. */
export function tableSizes(tables: PlotTables): number[] {
  return [tables.xs.length, ...tables.pointers.map((pointers) => pointers.length / 2)];
}
