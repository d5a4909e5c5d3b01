import { queryDatabase } from "./test-database";

/** A snapshot of what exists in a database's `public` schema, read from information_schema / pg_catalog. */
export interface DatabaseCatalog {
  tables: string[];
  columns: CatalogColumn[];
  indexes: CatalogIndex[];
  foreignKeys: CatalogForeignKey[];
  enums: { name: string; labels: string[] }[];
}

export interface CatalogColumn {
  table: string;
  column: string;
  dataType: string;
  udtName: string;
  isNullable: boolean;
  datetimePrecision: number | null;
  characterMaximumLength: number | null;
  columnDefault: string | null;
}

export interface CatalogIndex {
  table: string;
  name: string;
  /** Column names in index order, `name DESC` for descending ones. */
  columns: string[];
  isUnique: boolean;
  isPrimary: boolean;
  method: string;
  /** Expression or partial (WHERE) index: Prisma does not create these. */
  isExpressionOrPartial: boolean;
}

export interface CatalogForeignKey {
  table: string;
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
}

export async function readDatabaseCatalog(databaseUrl: string): Promise<DatabaseCatalog> {
  const [tables, columns, indexes, foreignKeys, enums] = await Promise.all([
    queryDatabase<{ table_name: string }>(
      databaseUrl,
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    ),
    queryDatabase<{
      table_name: string;
      column_name: string;
      data_type: string;
      udt_name: string;
      is_nullable: "YES" | "NO";
      datetime_precision: number | null;
      character_maximum_length: number | null;
      column_default: string | null;
    }>(
      databaseUrl,
      `SELECT table_name, column_name, data_type, udt_name, is_nullable, datetime_precision,
              character_maximum_length, column_default
         FROM information_schema.columns
        WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
    ),
    queryDatabase<{
      table_name: string;
      index_name: string;
      columns: string[];
      is_unique: boolean;
      is_primary: boolean;
      method: string;
      is_expression_or_partial: boolean;
    }>(
      databaseUrl,
      `SELECT t.relname AS table_name, i.relname AS index_name, ix.indisunique AS is_unique,
              ix.indisprimary AS is_primary, am.amname AS method,
              (ix.indexprs IS NOT NULL OR ix.indpred IS NOT NULL) AS is_expression_or_partial,
              ARRAY(
                SELECT a.attname::text || CASE WHEN (ix.indoption[k.ord - 1] & 1) = 1 THEN ' DESC' ELSE '' END
                  FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                 ORDER BY k.ord
              ) AS columns
         FROM pg_index ix
         JOIN pg_class i ON i.oid = ix.indexrelid
         JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         JOIN pg_am am ON am.oid = i.relam
        WHERE n.nspname = 'public'
        ORDER BY t.relname, i.relname`,
    ),
    queryDatabase<{
      table_name: string;
      constraint_name: string;
      columns: string[];
      referenced_table: string;
      referenced_columns: string[];
      on_delete: string;
      on_update: string;
    }>(
      databaseUrl,
      `SELECT t.relname AS table_name, c.conname AS constraint_name, rt.relname AS referenced_table,
              c.confdeltype::text AS on_delete, c.confupdtype::text AS on_update,
              ARRAY(
                SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord
              ) AS columns,
              ARRAY(
                SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord
              ) AS referenced_columns
         FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid
         JOIN pg_class rt ON rt.oid = c.confrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE c.contype = 'f' AND n.nspname = 'public'
        ORDER BY t.relname, c.conname`,
    ),
    queryDatabase<{ name: string; labels: string[] }>(
      databaseUrl,
      `SELECT t.typname::text AS name,
              ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE t.typtype = 'e' AND n.nspname = 'public'
        ORDER BY t.typname`,
    ),
  ]);
  return {
    tables: tables.map((row) => row.table_name),
    columns: columns.map((row) => ({
      table: row.table_name,
      column: row.column_name,
      dataType: row.data_type,
      udtName: row.udt_name,
      isNullable: row.is_nullable === "YES",
      datetimePrecision: row.datetime_precision,
      characterMaximumLength: row.character_maximum_length,
      columnDefault: row.column_default,
    })),
    indexes: indexes.map((row) => ({
      table: row.table_name,
      name: row.index_name,
      columns: row.columns,
      isUnique: row.is_unique,
      isPrimary: row.is_primary,
      method: row.method,
      isExpressionOrPartial: row.is_expression_or_partial,
    })),
    foreignKeys: foreignKeys.map((row) => ({
      table: row.table_name,
      name: row.constraint_name,
      columns: row.columns,
      referencedTable: row.referenced_table,
      referencedColumns: row.referenced_columns,
      onDelete: row.on_delete,
      onUpdate: row.on_update,
    })),
    enums: enums.map((row) => ({ name: row.name, labels: row.labels })),
  };
}
