import { readFileSync } from "node:fs";
import { get_dmmf } from "@prisma/prisma-schema-wasm";

/**
 * The parts of Prisma's DMMF (the parsed schema, as `prisma generate` sees it) that describe the
 * database, and how Prisma Migrate turns them into Postgres objects. Types and names here follow
 * Prisma Migrate's PostgreSQL conventions.
 */

export interface DmmfField {
  name: string;
  /** Column name from `@map`; absent when the column is named like the field. */
  dbName?: string | null;
  kind: "scalar" | "enum" | "object" | "unsupported";
  type: string;
  isRequired: boolean;
  isList: boolean;
  isId: boolean;
  isUnique: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  /** A literal (`0`, `false`, `"x"`, enum value name) or a function (`{ name: "now", args: [] }`). */
  default?: unknown;
  /** `@db.X(args)` as `[X, args]`, null when the field has none. */
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
  relationName?: string;
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

export interface DmmfEnum {
  name: string;
  dbName: string | null;
  values: { name: string; dbName: string | null }[];
}

export interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string; sortOrder?: "asc" | "desc"; length?: number }[];
}

export interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: DmmfEnum[]; indexes: DmmfIndex[] };
}

export function readDmmf(schemaPath: string): Dmmf {
  const prismaSchema = readFileSync(schemaPath, "utf8");
  return JSON.parse(get_dmmf(JSON.stringify({ prismaSchema }))) as Dmmf;
}

export const tableName = (model: DmmfModel): string => model.dbName ?? model.name;
export const columnName = (field: DmmfField): string => field.dbName ?? field.name;
export const enumTypeName = (enumType: DmmfEnum): string => enumType.dbName ?? enumType.name;
export const enumLabels = (enumType: DmmfEnum): string[] => enumType.values.map((value) => value.dbName ?? value.name);

/** Fields stored in a column of the model's own table (relation fields are not). */
export const columnFields = (model: DmmfModel): DmmfField[] =>
  model.fields.filter((field) => field.kind !== "object");

/** Column type as information_schema.columns reports it. */
export interface ColumnType {
  dataType: string;
  udtName: string;
  datetimePrecision?: number;
  characterMaximumLength?: number;
}

/** Prisma scalar type without `@db.*` → the Postgres type Prisma Migrate creates. */
const DEFAULT_TYPES: Record<string, ColumnType> = {
  String: { dataType: "text", udtName: "text" },
  Int: { dataType: "integer", udtName: "int4" },
  BigInt: { dataType: "bigint", udtName: "int8" },
  Boolean: { dataType: "boolean", udtName: "bool" },
  Float: { dataType: "double precision", udtName: "float8" },
  DateTime: { dataType: "timestamp without time zone", udtName: "timestamp", datetimePrecision: 3 },
  Json: { dataType: "jsonb", udtName: "jsonb" },
  Bytes: { dataType: "bytea", udtName: "bytea" },
};

/** `@db.X(args)` → the Postgres type. Only attributes with a known mapping; others are reported. */
function nativeColumnType(name: string, args: string[]): ColumnType | undefined {
  const precision = args[0] === undefined ? 6 : Number(args[0]);
  switch (name) {
    case "Uuid":
      return { dataType: "uuid", udtName: "uuid" };
    case "Text":
      return { dataType: "text", udtName: "text" };
    case "VarChar":
      return args[0] === undefined
        ? { dataType: "character varying", udtName: "varchar" }
        : { dataType: "character varying", udtName: "varchar", characterMaximumLength: Number(args[0]) };
    case "Integer":
      return { dataType: "integer", udtName: "int4" };
    case "BigInt":
      return { dataType: "bigint", udtName: "int8" };
    case "SmallInt":
      return { dataType: "smallint", udtName: "int2" };
    case "Boolean":
      return { dataType: "boolean", udtName: "bool" };
    case "Timestamptz":
      return { dataType: "timestamp with time zone", udtName: "timestamptz", datetimePrecision: precision };
    case "Timestamp":
      return { dataType: "timestamp without time zone", udtName: "timestamp", datetimePrecision: precision };
    case "Date":
      return { dataType: "date", udtName: "date", datetimePrecision: 0 };
    case "JsonB":
      return { dataType: "jsonb", udtName: "jsonb" };
    case "Json":
      return { dataType: "json", udtName: "json" };
    case "DoublePrecision":
      return { dataType: "double precision", udtName: "float8" };
    default:
      return undefined;
  }
}

/** The column type Prisma Migrate creates for a field, or an explanation when this test cannot tell. */
export function expectedColumnType(field: DmmfField, enums: DmmfEnum[]): ColumnType | string {
  if (field.kind === "unsupported") {
    return `Unsupported("${field.type}") field ${field.name}: not supported by this test yet, extend prisma-dmmf.ts`;
  }
  if (field.isList) {
    return `list field ${field.name} (${field.type}[]): not supported by this test yet, extend prisma-dmmf.ts`;
  }
  if (field.kind === "enum") {
    const enumType = enums.find((candidate) => candidate.name === field.type);
    if (!enumType) return `enum ${field.type} of field ${field.name} is not in the schema`;
    return { dataType: "USER-DEFINED", udtName: enumTypeName(enumType) };
  }
  if (field.nativeType) {
    const [name, args] = field.nativeType;
    return (
      nativeColumnType(name, args) ??
      `@db.${name}(${args.join(", ")}) of field ${field.name}: no mapping in this test yet, extend prisma-dmmf.ts`
    );
  }
  return DEFAULT_TYPES[field.type] ?? `type ${field.type} of field ${field.name}: no mapping in this test yet`;
}

/**
 * The column default Prisma Migrate writes, as information_schema.columns.column_default shows it:
 * null when the default lives in the client (uuid(), cuid(), @updatedAt) or there is none;
 * a RegExp when the text depends on names Postgres picks (sequences, dbgenerated expressions).
 */
export function expectedColumnDefault(
  field: DmmfField,
  table: string,
  enums: DmmfEnum[],
): string | RegExp | null {
  const value = field.default;
  if (value === undefined || value === null) return null;
  if (typeof value === "object" && "name" in value) {
    const fn = value as { name: string; args: unknown[] };
    switch (fn.name) {
      case "autoincrement":
        return new RegExp(`^nextval\\('"?${table}_${columnName(field)}_seq"?'::regclass\\)$`);
      case "now":
        return "CURRENT_TIMESTAMP";
      case "dbgenerated":
        return /./;
      default:
        // uuid(), cuid(), nanoid(), ulid(): generated by the client, no database default.
        return null;
    }
  }
  if (field.kind === "enum") {
    const enumType = enums.find((candidate) => candidate.name === field.type);
    const label = enumType?.values.find((candidate) => candidate.name === value)?.dbName ?? String(value);
    return `'${label}'::${enumType ? enumTypeName(enumType) : field.type}`;
  }
  if (typeof value === "string") return `'${value.replace(/'/g, "''")}'::text`;
  return String(value);
}

/** Prisma's default constraint/index names (`map:` overrides them), cut at Postgres' 63 bytes. */
export function defaultIndexName(table: string, columns: string[], type: DmmfIndex["type"]): string | undefined {
  const name =
    type === "id" ? `${table}_pkey` : `${table}_${columns.join("_")}_${type === "unique" ? "key" : "idx"}`;
  // Longer names are shortened by Prisma in its own way; not needed by this schema so far.
  return name.length <= 63 ? name : undefined;
}

/** Prisma's referential action names → pg_constraint.confdeltype / confupdtype codes. */
export const REFERENTIAL_ACTION_CODES: Record<string, string> = {
  Cascade: "c",
  Restrict: "r",
  NoAction: "a",
  SetNull: "n",
  SetDefault: "d",
};
