import type { DataType, StructField } from "../../expressions/types";
import type { StatefulOperatorInfo } from "../CheckpointStore";
import { joinPath, type CheckpointFile, type CheckpointFileManager } from "./CheckpointFileManager";
import { keySchemaNotCompatible, malformedLogFile, statefulOperatorsChanged, valueSchemaNotCompatible } from "./checkpointErrors";
import { validateVersion } from "./logFormats";

/**
 * Stateful operator metadata and state schemas, as Spark records them next to the state:
 *
 * `state/0/_metadata/metadata` (OperatorStateMetadataV1):
 * ```
 * v1
 * {"operatorInfo":{"operatorId":0,"operatorName":"stateStoreSave"},"stateStoreInfo":[{"storeName":"default","numColsPrefixKey":0,"numPartitions":1}]}
 * ```
 * `state/0/0/_metadata/schema` (StateSchemaCompatibilityChecker's file, beside partition 0's
 * state: the key schema, then the value schema, in Spark's StructType JSON):
 * ```
 * v1
 * {"type":"struct","fields":[{"name":"word","type":"string","nullable":true,"metadata":{}}]}
 * {"type":"struct","fields":[{"name":"count(1)","type":"long","nullable":true,"metadata":{}}]}
 * ```
 */

/** Spark's JSON form of a data type (`"long"`, `"integer"`, `{"type":"struct",…}`). */
export function sparkTypeJson(t: DataType): unknown {
  if (typeof t === "string") return t === "int" ? "integer" : t;
  if (t.type === "array") return { type: "array", elementType: sparkTypeJson(t.elementType), containsNull: true };
  return structJson(t.fields);
}

function structJson(fields: readonly StructField[]): unknown {
  return { type: "struct", fields: fields.map((f) => ({ name: f.name, type: sparkTypeJson(f.dataType), nullable: f.nullable, metadata: {} })) };
}

/** The types of a schema, names ignored (Spark allows renamed fields). */
function typesOnly(schemaJson: unknown): string {
  const strip = (t: unknown): unknown => {
    if (typeof t !== "object" || t === null) return t;
    const o = t as { type?: string; fields?: { type: unknown }[]; elementType?: unknown };
    if (o.type === "struct") return { struct: (o.fields ?? []).map((f) => strip(f.type)) };
    if (o.type === "array") return { array: strip(o.elementType) };
    return t;
  };
  return JSON.stringify(strip(schemaJson));
}

function simple(schemaJson: unknown): string {
  const fmt = (t: unknown): string => {
    if (typeof t === "string") return t === "integer" ? "int" : t === "long" ? "bigint" : t;
    const o = t as { type?: string; fields?: { name: string; type: unknown }[]; elementType?: unknown };
    if (o.type === "array") return `array<${fmt(o.elementType)}>`;
    return `struct<${(o.fields ?? []).map((f) => `${f.name}:${fmt(f.type)}`).join(",")}>`;
  };
  return fmt(schemaJson);
}

/**
 * Compares the query's stateful operators with those recorded in the checkpoint and writes
 * the records of new ones. `hasBatches`: the checkpoint already ran batches (then a changed
 * operator list is an error; before the first batch, everything is simply recorded).
 */
export async function checkStateSchemas(
  fm: CheckpointFileManager,
  ops: readonly StatefulOperatorInfo[],
  hasBatches: boolean,
  /** spark.sql.streaming.stateStore.stateSchemaCheck: false skips the key/value schema comparison. */
  schemaCheck = true,
): Promise<void> {
  const recorded: { id: number; name: string }[] = [];
  for (const dir of await fm.list("state")) {
    if (!/^\d+$/.test(dir)) continue;
    const path = joinPath("state", dir, "_metadata", "metadata");
    const text = await fm.read(path);
    if (text === undefined) continue;
    const lines = text.split("\n");
    validateVersion(path, lines[0]);
    let name: unknown;
    try {
      name = (JSON.parse(lines[1] ?? "") as { operatorInfo?: { operatorName?: unknown } }).operatorInfo?.operatorName;
    } catch {
      throw malformedLogFile(path, "the operator metadata is not valid JSON");
    }
    recorded.push({ id: Number(dir), name: String(name) });
  }
  recorded.sort((a, b) => a.id - b.id);
  const label = (o: { id: number; name: string }) => `(OperatorId: ${o.id} -> OperatorName: ${o.name})`;
  const current = [...ops].sort((a, b) => a.operatorId - b.operatorId).map((o) => ({ id: o.operatorId, name: o.operatorName }));
  if (hasBatches && JSON.stringify(recorded) !== JSON.stringify(current)) {
    throw statefulOperatorsChanged(recorded.map(label), current.map(label));
  }
  const files: CheckpointFile[] = [];
  for (const op of ops) {
    const key = structJson(op.keySchema);
    const value = structJson(op.valueSchema);
    const schemaPath = joinPath("state", op.operatorId, 0, "_metadata", "schema");
    const existing = await fm.read(schemaPath);
    if (existing !== undefined && schemaCheck) {
      const lines = existing.split("\n");
      validateVersion(schemaPath, lines[0]);
      let oldKey: unknown;
      let oldValue: unknown;
      try {
        oldKey = JSON.parse(lines[1] ?? "");
        oldValue = JSON.parse(lines[2] ?? "");
      } catch {
        throw malformedLogFile(schemaPath, "the state schema is truncated");
      }
      if (typesOnly(oldKey) !== typesOnly(key)) throw keySchemaNotCompatible(simple(oldKey), simple(key));
      if (typesOnly(oldValue) !== typesOnly(value)) throw valueSchemaNotCompatible(simple(oldValue), simple(value));
    } else if (existing === undefined) {
      files.push({ path: schemaPath, text: ["v1", JSON.stringify(key), JSON.stringify(value)].join("\n") });
    }
    const metaPath = joinPath("state", op.operatorId, "_metadata", "metadata");
    if (!recorded.some((r) => r.id === op.operatorId)) {
      const meta = {
        operatorInfo: { operatorId: op.operatorId, operatorName: op.operatorName },
        stateStoreInfo: [{ storeName: "default", numColsPrefixKey: 0, numPartitions: 1 }],
      };
      files.push({ path: metaPath, text: `v1\n${JSON.stringify(meta)}` });
    }
  }
  if (files.length > 0) await fm.write(files);
}
