/**
 * What the editor's TypeScript service knows about a cell's scope. The cell is
 * a module (the trailing export) so that two cells may declare the same names.
 * Full engine typings generated from `engine/` replace this in the notebook.
 */
export const CELL_SCOPE_DTS = `
declare const spark: any;
declare const F: any;
declare const SparkSession: any;
declare const MemoryStream: any;
declare const ManualClock: any;
`;
