/**
 * Export to PySpark (issue 10): a query's logical plan, sink and trigger, a DataFrame,
 * or a whole notebook (Structured Streaming and DStream cells) as a runnable PySpark
 * script. See README-section.md for what maps to what.
 */
export { exportNotebookToPySpark } from "./notebook";
export type { ExportCell, ExportNotebookOptions } from "./notebook";
export { dataFrameToPySpark, queryToPySpark } from "./toPySpark";
export type { ToPySparkOptions } from "./toPySpark";
export { interceptStreamStarts } from "./capture";
export type { WriteSpec } from "./capture";
export { jsFunctionToPythonLambda } from "./jsLambda";
export { pyStr } from "./python";
