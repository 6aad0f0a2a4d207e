/**
 * The engine's public API (see /shared/API.md): a pure TypeScript Spark Structured
 * Streaming engine. Import everything from here.
 */
import { F as sqlFunctions } from "./api/functions";
import { registerSqlFrontend as registerSql } from "./api/sqlHook";
import type { Column as SqlColumnType } from "./api/Column";
import type { DataFrame as SqlDataFrameType } from "./api/DataFrame";
import { createSqlFrontend } from "./sql";
export { SparkSession, SparkSessionBuilder } from "./api/SparkSession";
// File sources (json, csv, text) register themselves with the source registry.
import "./sources/FileSourceFormats";
export type { OutputWriter, OutputOrigin, CheckpointStoreFactory } from "./api/SparkSession";
export { DataFrame } from "./api/DataFrame";
export type { ColumnLike } from "./api/DataFrame";
export { Column } from "./api/Column";
export type { ColumnOrLiteral } from "./api/Column";
export { GroupedData } from "./api/GroupedData";
export { F } from "./api/functions";
export type { Functions } from "./api/functions";
export { DataStreamReader } from "./api/DataStreamReader";
export { DataFrameReader } from "./api/DataFrameReader";
export { DataStreamWriter } from "./api/DataStreamWriter";
export { StreamingQuery } from "./api/StreamingQuery";
export { StreamingQueryManager } from "./api/StreamingQueryManager";
export { RuntimeConfig } from "./api/RuntimeConfig";
export { MemoryStream } from "./api/MemoryStream";
export type { MemoryStreamRow } from "./api/MemoryStream";
export { registerSqlFrontend } from "./api/sqlHook";
export type { SqlFrontend } from "./api/sqlHook";
export type { Row, RowValue } from "./api/Row";
export type {
  StreamingQueryListener,
  QueryStartedEvent,
  QueryProgressEvent,
  QueryIdleEvent,
  QueryTerminatedEvent,
  QueryBatchOutputEvent,
  OutputField,
} from "./api/StreamingQueryListener";
export type {
  StreamingQueryProgress,
  StreamingQueryStatus,
  StateOperatorProgress,
  SourceProgress,
  SinkProgress,
} from "./execution/microbatch/progress";
export type { ContinuousProgress, ContinuousLatency } from "./execution/continuous/ContinuousExecution";
export type { TriggerSpec } from "./execution/microbatch/Trigger";
export type { OutputMode } from "./execution/PhysicalOperator";
export type { ForeachWriter } from "./sinks/ForeachSink";
export type { ForeachBatchFunction } from "./sinks/ForeachBatchSink";
export type { DataType, StructType, StructField, ArrayType, AtomicTypeName, SchemaLike } from "./expressions/types";
export { ManualClock, SystemClock } from "./util/clock";
export type { Clock } from "./util/clock";
export {
  SparkException,
  AnalysisException,
  IllegalArgumentException,
  IllegalStateException,
  UnsupportedOperationException,
  StreamingQueryException,
  serializeError,
} from "./util/errors";
export type { SerializedError } from "./util/errors";
export { durationToMs, parseInterval } from "./util/durations";
export type { CheckpointStore, OffsetSeq, CommitMetadata, QueryMetadata } from "./checkpoint/CheckpointStore";
export { MemoryCheckpointStore, memoryCheckpointStore, deleteMemoryCheckpoint } from "./checkpoint/memory/MemoryCheckpointStore";
export type { StateStore, StateStoreProvider } from "./state/StateStore";
export type { Source, SourceDescriptor, SourceContext, Offset, JsonValue } from "./sources/Source";
export { registerStreamSource } from "./sources/registry";
export type { SourceFormat, SourceRequest } from "./sources/registry";
export type { StatefulOperatorInfo } from "./checkpoint/CheckpointStore";
export type { VirtualFileSystem, FileStatus } from "./fs/VirtualFileSystem";
export { MemoryFileSystem } from "./fs/MemoryFileSystem";
export { IdbFileSystem } from "./fs/IdbFileSystem";
export type { CheckpointFileManager, CheckpointFile } from "./checkpoint/persistent/CheckpointFileManager";
export { PersistentCheckpointStore } from "./checkpoint/persistent/PersistentCheckpointStore";
export {
  openIdbCheckpointCatalog,
  IdbCheckpointCatalog,
  acquireCheckpointLock,
  resetIdbCheckpoint,
} from "./checkpoint/idb/IdbCheckpointCatalog";
export type { IdbCheckpointCatalogOptions } from "./checkpoint/idb/IdbCheckpointCatalog";
export { resetCheckpoint } from "./checkpoint/resetCheckpoint";

// Spark Streaming (DStreams) and the WebSocket line reader behind the socket sources.
export * from "./dstream";
export * from "./net";
export { ParseException } from "./sql";
export type { PlanGraphNode } from "./execution/planMetrics";

// The SQL frontend (engine/sql) serves F.expr, selectExpr, filter(string) and spark.sql.
registerSql(createSqlFrontend<SqlColumnType, SqlDataFrameType>(sqlFunctions));
