/**
 * The Spark SQL subset: parser, AST and lowering onto the DataFrame API.
 *
 * Example:
 *   const col = sqlToColumn("count(*) AS n", F);          // F.expr / selectExpr / filter(string)
 *   const df = sqlToDataFrame("SELECT word, count(*) FROM words GROUP BY word", spark, F); // spark.sql
 */
export { sqlToColumn, lowerExpr, castTypeName, type LowerScope } from "./toColumn";
export { sqlToDataFrame } from "./toDataFrame";
export { parseExpression, parseQuery, parseDataType } from "./parser";
export { tokenize, type Token, type TokenKind, type NumberType } from "./lexer";
export { ParseException, AnalysisException, pointAt, type TextPoint } from "./errors";
export { parseIntervalString, formatDuration, type SqlInterval } from "./interval";
export { prettyName, canonicalKey } from "./render";
export { SUPPORTED_FUNCTIONS, AGGREGATE_FUNCTIONS } from "./functions";
export type * from "./ast";
export type { SqlColumn, SqlFunctions, SqlDataFrame, SqlGroupedData, SqlSession, SqlLiteral } from "./frontend";
export { createSqlFrontend, type BoundSqlFrontend } from "./sqlFrontend";
