import { IllegalArgumentException } from "../util/errors";

/** Names of the atomic types, as written in `cast("…")` and in schemas (`{ value: "long" }`). */
export type AtomicTypeName = "long" | "int" | "double" | "string" | "boolean" | "timestamp" | "null" | "interval";

/** A struct type: an ordered list of named fields (e.g. the `window` column). */
export interface StructType {
  readonly type: "struct";
  readonly fields: readonly StructField[];
}

/** An array type (collect_list, split). */
export interface ArrayType {
  readonly type: "array";
  readonly elementType: DataType;
}

/** Any data type. Atomic types are plain strings. */
export type DataType = AtomicTypeName | StructType | ArrayType;

/** One field of a schema. */
export interface StructField {
  readonly name: string;
  readonly dataType: DataType;
  readonly nullable: boolean;
}

/** A schema given by the user: `{ value: "long", word: "string" }`, or a full StructType. */
export type SchemaLike = Record<string, DataType | string> | StructType;

/** An interval value (Spark's CalendarInterval): calendar months, days, and microseconds. */
export interface IntervalValue {
  [field: string]: number;
  months: number;
  days: number;
  microseconds: number;
}

/** A single value as carried by the engine: timestamps are epoch ms, structs are plain objects. */
export type Value = number | string | boolean | null | StructValue | Value[];

/** A struct value: field name → value. */
export interface StructValue {
  [field: string]: Value;
}

/** The struct type of a time window column: `{ start: timestamp, end: timestamp }`. */
export const WINDOW_TYPE: StructType = {
  type: "struct",
  fields: [
    { name: "start", dataType: "timestamp", nullable: true },
    { name: "end", dataType: "timestamp", nullable: true },
  ],
};

const ALIASES: Record<string, AtomicTypeName> = {
  long: "long",
  bigint: "long",
  int: "int",
  integer: "int",
  short: "int",
  smallint: "int",
  tinyint: "int",
  byte: "int",
  double: "double",
  float: "double",
  real: "double",
  decimal: "double",
  string: "string",
  varchar: "string",
  boolean: "boolean",
  bool: "boolean",
  timestamp: "timestamp",
  timestamp_ntz: "timestamp",
  date: "timestamp",
  null: "null",
  void: "null",
  binary: "string",
  interval: "interval",
};

/**
 * Parses a type name ("long", "bigint", "int", "double", "string", "boolean", "timestamp").
 * Throws IllegalArgumentException naming the unknown type.
 */
export function parseDataType(name: string | DataType): DataType {
  if (typeof name !== "string") return name;
  const lower = name.trim().toLowerCase();
  // decimal(p, s) is carried as a double.
  if (/^(decimal|numeric|dec)\s*\(\s*\d+\s*(,\s*\d+\s*)?\)$/.test(lower)) return "double";
  const t = ALIASES[lower];
  if (t === undefined) {
    throw new IllegalArgumentException(`Unsupported data type "${name}".`, "UNSUPPORTED_DATATYPE");
  }
  return t;
}

/** Turns `{ value: "long" }` into a StructType (all fields nullable). */
export function toStructType(schema: SchemaLike): StructType {
  if ((schema as StructType).type === "struct" && Array.isArray((schema as StructType).fields)) {
    return schema as StructType;
  }
  return {
    type: "struct",
    fields: Object.entries(schema as Record<string, DataType | string>).map(([name, t]) => ({
      name,
      dataType: parseDataType(t),
      nullable: true,
    })),
  };
}

/** True for types stored in a Float64Array column (long, int, double, timestamp). */
export function isNumericStorage(t: DataType): boolean {
  return t === "long" || t === "int" || t === "double" || t === "timestamp";
}

/** True for arithmetic types (long, int, double). */
export function isNumeric(t: DataType): boolean {
  return t === "long" || t === "int" || t === "double";
}

/** Spark's simple string of a type: "bigint", "timestamp", "struct<start:timestamp,end:timestamp>". */
export function simpleString(t: DataType): string {
  if (typeof t === "string") {
    if (t === "long") return "bigint";
    if (t === "null") return "void";
    return t;
  }
  if (t.type === "struct") return `struct<${t.fields.map((f) => `${f.name}:${simpleString(f.dataType)}`).join(",")}>`;
  return `array<${simpleString(t.elementType)}>`;
}

/** The type name as the playground prints it (`long`, `struct<start:timestamp,end:timestamp>`). */
export function typeName(t: DataType): string {
  if (typeof t === "string") return t;
  if (t.type === "struct") return `struct<${t.fields.map((f) => `${f.name}:${typeName(f.dataType)}`).join(",")}>`;
  return `array<${typeName(t.elementType)}>`;
}

/** Structural equality of two types. */
export function sameType(a: DataType, b: DataType): boolean {
  return typeName(a) === typeName(b);
}

/** The wider numeric type of two (Spark's numeric promotion: int < long < double). */
export function widerNumeric(a: DataType, b: DataType): DataType {
  if (a === "double" || b === "double") return "double";
  if (a === "long" || b === "long") return "long";
  if (a === "null") return b;
  if (b === "null") return a;
  return "int";
}
