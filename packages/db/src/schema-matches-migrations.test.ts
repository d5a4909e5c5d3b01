import { randomUUID } from "node:crypto";
import { EventStatus, Provider } from "./generated/prisma/enums";
import { applyMigrations } from "./migrations/apply-migrations";
import { createPrismaClient, type PrismaClient } from "./prisma-client";
import { readDatabaseCatalog, type DatabaseCatalog } from "./test-support/database-catalog";
import {
  columnFields,
  columnName,
  defaultIndexName,
  enumLabels,
  enumTypeName,
  expectedColumnDefault,
  expectedColumnType,
  readDmmf,
  REFERENTIAL_ACTION_CODES,
  tableName,
  type DmmfModel,
} from "./test-support/prisma-dmmf";
import { createTestDatabase, MIGRATIONS_DIR, SCHEMA_PATH, type TestDatabase } from "./test-support/test-database";

/**
 * prisma/schema.prisma (what the client is generated from) and prisma/migrations (what the database
 * gets) are written by hand and must agree. `prisma migrate diff` needs the native schema engine,
 * which cannot run here, so this test compares them itself: the migrations are applied to a fresh
 * database and every model, column, enum, index and foreign key of the schema is looked up in the
 * catalog, and nothing else may be there. Each assertion collects every mismatch, named by
 * table/column, so one run shows all of them.
 */

const { datamodel } = readDmmf(SCHEMA_PATH);
const modelNames = datamodel.models.map((model) => model.name);

function model(name: string): DmmfModel {
  const found = datamodel.models.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`model ${name} is not in schema.prisma`);
  return found;
}

const actionName = (code: string): string =>
  Object.entries(REFERENTIAL_ACTION_CODES).find(([, candidate]) => candidate === code)?.[0] ?? `code '${code}'`;

let database: TestDatabase;
let catalog: DatabaseCatalog;

beforeAll(async () => {
  database = await createTestDatabase();
  await applyMigrations({ databaseUrl: database.url, migrationsDir: MIGRATIONS_DIR });
  catalog = await readDatabaseCatalog(database.url);
});

afterAll(async () => {
  await database?.drop();
});

describe("the migrated database matches prisma/schema.prisma", () => {
  it("has a table for every model and no tables the schema does not declare", () => {
    const expected = [...datamodel.models.map(tableName), "_prisma_migrations"].sort();
    const problems = [
      ...expected.filter((table) => !catalog.tables.includes(table)).map((table) => `missing table ${table}`),
      ...catalog.tables
        .filter((table) => !expected.includes(table))
        .map((table) => `table ${table} exists but no model maps to it`),
    ];
    expect(problems).toEqual([]);
  });

  it("has every enum type with the schema's labels in order, and no other enum types", () => {
    const problems: string[] = [];
    for (const enumType of datamodel.enums) {
      const name = enumTypeName(enumType);
      const found = catalog.enums.find((candidate) => candidate.name === name);
      if (!found) {
        problems.push(`missing enum type ${name} (enum ${enumType.name})`);
      } else if (found.labels.join(",") !== enumLabels(enumType).join(",")) {
        problems.push(`enum type ${name}: labels [${found.labels.join(", ")}], schema [${enumLabels(enumType).join(", ")}]`);
      }
    }
    for (const found of catalog.enums) {
      if (!datamodel.enums.some((enumType) => enumTypeName(enumType) === found.name)) {
        problems.push(`enum type ${found.name} exists but the schema declares no such enum`);
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(modelNames)("table of %s has exactly the schema's columns, types, nullability and defaults", (name) => {
    const schemaModel = model(name);
    const table = tableName(schemaModel);
    const columns = catalog.columns.filter((column) => column.table === table);
    const problems: string[] = [];
    for (const field of columnFields(schemaModel)) {
      const where = `${table}.${columnName(field)} (${schemaModel.name}.${field.name})`;
      const column = columns.find((candidate) => candidate.column === columnName(field));
      if (!column) {
        problems.push(`${where}: column missing`);
        continue;
      }
      const type = expectedColumnType(field, datamodel.enums);
      if (typeof type === "string") {
        problems.push(`${where}: ${type}`);
      } else {
        const actual = `${column.dataType} (${column.udtName})`;
        if (column.dataType !== type.dataType || column.udtName !== type.udtName) {
          problems.push(`${where}: type ${actual}, schema expects ${type.dataType} (${type.udtName})`);
        }
        if (type.datetimePrecision !== undefined && column.datetimePrecision !== type.datetimePrecision) {
          problems.push(`${where}: precision ${column.datetimePrecision}, schema expects ${type.datetimePrecision}`);
        }
        if (
          type.characterMaximumLength !== undefined &&
          column.characterMaximumLength !== type.characterMaximumLength
        ) {
          problems.push(`${where}: length ${column.characterMaximumLength}, schema expects ${type.characterMaximumLength}`);
        }
      }
      if (column.isNullable !== !field.isRequired) {
        const actual = column.isNullable ? "NULL allowed" : "NOT NULL";
        problems.push(`${where}: ${actual}, schema says ${field.isRequired ? "required" : "optional"}`);
      }
      const expectedDefault = expectedColumnDefault(field, table, datamodel.enums);
      const defaultMatches =
        expectedDefault instanceof RegExp
          ? column.columnDefault !== null && expectedDefault.test(column.columnDefault)
          : column.columnDefault === expectedDefault;
      if (!defaultMatches) {
        problems.push(`${where}: default ${column.columnDefault ?? "none"}, schema expects ${expectedDefault ?? "none"}`);
      }
    }
    const declared = new Set(columnFields(schemaModel).map(columnName));
    for (const column of columns) {
      if (!declared.has(column.column)) {
        problems.push(`${table}.${column.column}: column exists but model ${schemaModel.name} has no field for it`);
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(modelNames)("table of %s has exactly the schema's @id, @unique, @@unique and @@index indexes", (name) => {
    const schemaModel = model(name);
    const table = tableName(schemaModel);
    const indexes = catalog.indexes.filter((index) => index.table === table);
    const matched = new Set<string>();
    const problems: string[] = [];
    for (const schemaIndex of datamodel.indexes.filter((index) => index.model === name)) {
      const columns = schemaIndex.fields.map((indexField) => {
        const field = schemaModel.fields.find((candidate) => candidate.name === indexField.name);
        const column = field ? columnName(field) : indexField.name;
        return indexField.sortOrder === "desc" ? `${column} DESC` : column;
      });
      const plainColumns = columns.map((column) => column.replace(/ DESC$/, ""));
      const unique = schemaIndex.type !== "normal";
      const label = `${schemaIndex.type} index on ${table}(${columns.join(", ")})`;
      const sameColumns = indexes.filter((index) => index.columns.join(",") === columns.join(","));
      const found = sameColumns.find((index) => index.isUnique === unique && index.isPrimary === (schemaIndex.type === "id"));
      if (!found) {
        const near = sameColumns.map((index) => `${index.name} (unique ${index.isUnique}, primary ${index.isPrimary})`);
        problems.push(`missing ${label}${near.length > 0 ? `; same columns but different kind: ${near.join(", ")}` : ""}`);
        continue;
      }
      matched.add(found.name);
      const expectedName = schemaIndex.dbName ?? defaultIndexName(table, plainColumns, schemaIndex.type);
      if (expectedName !== undefined && found.name !== expectedName) {
        problems.push(`${label}: named ${found.name}, Prisma expects ${expectedName} (prisma migrate diff would rename it)`);
      }
      const method = (schemaIndex.algorithm ?? "BTree").toLowerCase();
      if (found.method !== method) {
        problems.push(`${label}: method ${found.method}, schema expects ${method}`);
      }
      if (found.isExpressionOrPartial) {
        problems.push(`${label}: ${found.name} is an expression or partial index, the schema cannot declare one`);
      }
    }
    for (const index of indexes) {
      if (!matched.has(index.name)) {
        problems.push(
          `index ${index.name} on ${table}(${index.columns.join(", ")}) (unique ${index.isUnique}) ` +
            "exists but the schema declares no such index",
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it("has a foreign key for every relation, with the schema's columns and referential actions, and no others", () => {
    const matched = new Set<string>();
    const problems: string[] = [];
    for (const schemaModel of datamodel.models) {
      const table = tableName(schemaModel);
      for (const relation of schemaModel.fields.filter((field) => field.kind === "object")) {
        const from = relation.relationFromFields ?? [];
        if (from.length === 0) continue; // the other side of the relation holds the key
        const target = model(relation.type);
        const columns = from.map((fieldName) => columnName(schemaModel.fields.find((field) => field.name === fieldName)!));
        const referencedColumns = (relation.relationToFields ?? []).map((fieldName) =>
          columnName(target.fields.find((field) => field.name === fieldName)!),
        );
        const label =
          `foreign key ${table}(${columns.join(", ")}) → ${tableName(target)}(${referencedColumns.join(", ")}) ` +
          `(${schemaModel.name}.${relation.name})`;
        const found = catalog.foreignKeys.find(
          (foreignKey) =>
            foreignKey.table === table &&
            foreignKey.columns.join(",") === columns.join(",") &&
            foreignKey.referencedTable === tableName(target) &&
            foreignKey.referencedColumns.join(",") === referencedColumns.join(","),
        );
        if (!found) {
          problems.push(`missing ${label}`);
          continue;
        }
        matched.add(`${found.table}.${found.name}`);
        // Prisma's defaults: onDelete Restrict for a required relation, SetNull for an optional one; onUpdate Cascade.
        const onDelete = relation.relationOnDelete ?? (relation.isRequired ? "Restrict" : "SetNull");
        const onUpdate = relation.relationOnUpdate ?? "Cascade";
        if (found.onDelete !== REFERENTIAL_ACTION_CODES[onDelete]) {
          problems.push(`${label}: ON DELETE ${actionName(found.onDelete)}, schema expects ${onDelete}`);
        }
        if (found.onUpdate !== REFERENTIAL_ACTION_CODES[onUpdate]) {
          problems.push(`${label}: ON UPDATE ${actionName(found.onUpdate)}, schema expects ${onUpdate}`);
        }
        const expectedName = `${table}_${columns.join("_")}_fkey`;
        if (found.name !== expectedName) {
          problems.push(`${label}: named ${found.name}, Prisma expects ${expectedName}`);
        }
      }
    }
    for (const foreignKey of catalog.foreignKeys) {
      if (!matched.has(`${foreignKey.table}.${foreignKey.name}`)) {
        problems.push(
          `foreign key ${foreignKey.name} on ${foreignKey.table}(${foreignKey.columns.join(", ")}) exists but no relation declares it`,
        );
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("the generated Prisma client on the migrated database", () => {
  /** Models with a round-trip test below; a new model in the schema must get one. */
  const ROUND_TRIPPED_MODELS = [
    "WebhookEvent",
    "User",
    "StripeCustomer",
    "Subscription",
    "InvoicePaymentFailure",
    "UsagePeriod",
    "UsagePeriodTotal",
    "UsageCounter",
    "UsageIdempotencyKey",
    "ReplayAudit",
  ];
  let prisma: PrismaClient;

  beforeAll(() => {
    prisma = createPrismaClient({ databaseUrl: database.url, poolMax: 2 });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
  });

  const at = (iso: string): Date => new Date(iso);

  it("has a round-trip test for every model of the schema", () => {
    const missing = modelNames.filter((name) => !ROUND_TRIPPED_MODELS.includes(name));
    const unknown = ROUND_TRIPPED_MODELS.filter((name) => !modelNames.includes(name));
    expect({ "models without a round-trip test below": missing, "round-trip tests of models not in the schema": unknown })
      .toEqual({ "models without a round-trip test below": [], "round-trip tests of models not in the schema": [] });
  });

  it("writes and reads back WebhookEvent rows: every enum label, Json, BigInt ids beyond 2^53", async () => {
    const payload = {
      id: "evt_1",
      data: { object: { id: "sub_1", items: [1, 2.5, null, true], note: "ünïcødé ✓ \"quoted\"" } },
      nested: { empty: {}, list: [] },
    };
    const statuses = Object.values(EventStatus);
    const created = [];
    for (const [index, status] of statuses.entries()) {
      created.push(
        await prisma.webhookEvent.create({
          data: {
            provider: index % 2 === 0 ? Provider.stripe : Provider.clerk,
            eventId: `evt_${randomUUID()}`,
            type: "customer.subscription.updated",
            status,
            attempts: index,
            lastError: index === 0 ? null : `error ${index}`,
            objectId: "sub_1",
            userId: index % 2 === 0 ? randomUUID() : null,
            stripeCustomerId: index % 2 === 0 ? "cus_1" : null,
            eventCreatedAt: at("2026-01-02T03:04:05.678Z"),
            receivedAt: at("2026-01-02T03:04:06.001Z"),
            processedAt: index === 0 ? null : at("2026-01-02T03:04:07.999Z"),
            payload,
          },
        }),
      );
    }
    // The id column is bigint: values beyond Number.MAX_SAFE_INTEGER survive the round trip.
    const bigId = 9_007_199_254_740_993n;
    const big = await prisma.webhookEvent.create({
      data: {
        id: bigId,
        provider: Provider.clerk,
        eventId: "msg_big",
        type: "user.created",
        status: EventStatus.completed,
        eventCreatedAt: at("2026-01-02T00:00:00.000Z"),
        receivedAt: at("2026-01-02T00:00:00.000Z"),
        payload: [1, "two", { three: 3 }],
      },
    });

    const readBack = await prisma.webhookEvent.findMany({
      where: { id: { in: [...created, big].map((row) => row.id) } },
      orderBy: { id: "asc" },
    });

    expect(readBack).toEqual([...created, big]);
    expect(readBack.map((row) => row.status)).toEqual([...statuses, EventStatus.completed]);
    expect(new Set(readBack.map((row) => row.provider))).toEqual(new Set(Object.values(Provider)));
    expect(typeof readBack[0]!.id).toBe("bigint");
    expect(readBack.at(-1)).toMatchObject({ id: bigId, attempts: 0, lastError: null, payload: [1, "two", { three: 3 }] });
    expect(readBack[1]).toMatchObject({ payload, processedAt: at("2026-01-02T03:04:07.999Z") });
    // (provider, event_id) is unique: the ledger's guarantee.
    await expect(
      prisma.webhookEvent.create({
        data: { ...big, id: undefined, payload: {} },
      }),
    ).rejects.toMatchObject({ code: "P2002" });
  });

  it("writes and reads back a User with every column set, and the defaults the client fills in", async () => {
    const clerkUserId = `user_${randomUUID()}`;
    const data = {
      clerkUserId,
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "Lovelace",
      stripeCustomerId: "cus_latest",
      stripeLinkedAt: at("2026-02-03T04:05:06.789Z"),
      currentPlan: "pro",
      deletedAt: at("2026-03-01T00:00:00.001Z"),
      clerkEventAt: at("2026-02-03T04:05:06.123Z"),
      clerkEventId: "msg_1",
    };
    const before = Date.now();

    const created = await prisma.user.create({ data });
    const readBack = await prisma.user.findUniqueOrThrow({ where: { clerkUserId } });

    expect(readBack).toEqual(created);
    expect(readBack).toMatchObject(data);
    expect(readBack.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(readBack.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(readBack.updatedAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    const minimal = await prisma.user.create({ data: { clerkUserId: `user_${randomUUID()}` } });
    expect(minimal).toMatchObject({ email: null, currentPlan: null, deletedAt: null, stripeCustomerId: null });
  });

  it("writes and reads back a StripeCustomer through its relation to User", async () => {
    const user = await prisma.user.create({
      data: {
        clerkUserId: `user_${randomUUID()}`,
        customers: { create: [{ stripeCustomerId: `cus_${randomUUID()}` }, { stripeCustomerId: `cus_${randomUUID()}` }] },
      },
      include: { customers: { orderBy: { stripeCustomerId: "asc" } } },
    });
    const separate = await prisma.stripeCustomer.create({
      data: { stripeCustomerId: `cus_${randomUUID()}`, user: { connect: { id: user.id } } },
    });

    const readBack = await prisma.stripeCustomer.findUniqueOrThrow({
      where: { stripeCustomerId: separate.stripeCustomerId },
      include: { user: true },
    });
    const owner = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, include: { customers: true } });

    expect(readBack).toMatchObject({ stripeCustomerId: separate.stripeCustomerId, userId: user.id, user: { id: user.id } });
    expect(readBack.createdAt).toBeInstanceOf(Date);
    expect(owner.customers.map((customer) => customer.stripeCustomerId).sort()).toEqual(
      [...user.customers.map((customer) => customer.stripeCustomerId), separate.stripeCustomerId].sort(),
    );
    // The foreign key is enforced.
    await expect(
      prisma.stripeCustomer.create({ data: { stripeCustomerId: `cus_${randomUUID()}`, userId: randomUUID() } }),
    ).rejects.toMatchObject({ code: "P2003" });
  });

  it("writes and reads back a Subscription through its relation to User; deleting the user cascades", async () => {
    const user = await prisma.user.create({
      data: { clerkUserId: `user_${randomUUID()}`, customers: { create: { stripeCustomerId: `cus_${randomUUID()}` } } },
    });
    const data = {
      stripeSubscriptionId: `sub_${randomUUID()}`,
      stripeCustomerId: "cus_x",
      status: "active",
      plan: "business",
      currentPeriodStart: at("2026-01-01T00:00:00.000Z"),
      currentPeriodEnd: at("2026-01-31T23:59:59.999Z"),
      cancelAtPeriodEnd: true,
      lastEventAt: at("2026-01-05T06:07:08.009Z"),
      lastEventId: "evt_last",
    };

    const created = await prisma.subscription.create({ data: { ...data, user: { connect: { id: user.id } } } });
    const readBack = await prisma.subscription.findUniqueOrThrow({
      where: { stripeSubscriptionId: data.stripeSubscriptionId },
      include: { user: { include: { subscriptions: true } } },
    });

    expect(readBack).toMatchObject({ ...data, id: created.id, userId: user.id });
    expect(readBack.user.subscriptions).toEqual([created]);
    const defaults = await prisma.subscription.create({
      data: {
        stripeSubscriptionId: `sub_${randomUUID()}`,
        userId: user.id,
        stripeCustomerId: "cus_x",
        status: "incomplete",
        lastEventAt: at("2026-01-05T06:07:08.009Z"),
        lastEventId: "evt_first",
      },
    });
    expect(defaults).toMatchObject({ plan: null, currentPeriodStart: null, currentPeriodEnd: null, cancelAtPeriodEnd: false });

    await prisma.user.delete({ where: { id: user.id } });
    expect(await prisma.subscription.count({ where: { userId: user.id } })).toBe(0);
    expect(await prisma.stripeCustomer.count({ where: { userId: user.id } })).toBe(0);
  });

  it("writes and reads back InvoicePaymentFailure rows by their composite (invoice, attempt) key", async () => {
    const stripeInvoiceId = `in_${randomUUID()}`;
    const first = {
      stripeInvoiceId,
      attemptCount: 1,
      stripeSubscriptionId: "sub_1",
      final: false,
      nextPaymentAttempt: at("2026-01-04T00:00:00.000Z"),
      eventId: "evt_attempt_1",
      failedAt: at("2026-01-01T10:11:12.131Z"),
    };
    const last = { ...first, attemptCount: 4, final: true, nextPaymentAttempt: null, eventId: "evt_attempt_4" };

    await prisma.invoicePaymentFailure.create({ data: first });
    await prisma.invoicePaymentFailure.create({ data: { ...last, stripeSubscriptionId: null } });
    const readBack = await prisma.invoicePaymentFailure.findUniqueOrThrow({
      where: { stripeInvoiceId_attemptCount: { stripeInvoiceId, attemptCount: 1 } },
    });
    const all = await prisma.invoicePaymentFailure.findMany({ where: { stripeInvoiceId }, orderBy: { attemptCount: "asc" } });

    expect(readBack).toEqual({ ...first, createdAt: expect.any(Date) });
    expect(all.map((row) => [row.attemptCount, row.final, row.stripeSubscriptionId])).toEqual([
      [1, false, "sub_1"],
      [4, true, null],
    ]);
    // The same (invoice, attempt) is recorded once.
    await expect(prisma.invoicePaymentFailure.create({ data: first })).rejects.toMatchObject({ code: "P2002" });
  });

  it("writes and reads back a UsagePeriod with its UsagePeriodTotals; a period with totals cannot be deleted", async () => {
    const periodStart = at("2026-04-01T00:00:00.000Z");
    const userId = randomUUID(); // no foreign key to users: history outlives the user row
    const period = await prisma.usagePeriod.create({
      data: {
        periodStart,
        periodEnd: at("2026-05-01T00:00:00.000Z"),
        closingAt: at("2026-05-01T00:00:00.567Z"),
        closedAt: at("2026-05-01T00:00:01.234Z"),
        closedBy: "startup",
        totals: { create: [{ userId, metric: "searches", used: 42 }, { userId, metric: "exports", used: 0 }] },
      },
    });
    const separate = await prisma.usagePeriodTotal.create({
      data: { userId: randomUUID(), metric: "searches", used: 7, period: { connect: { periodStart } } },
    });

    const readBack = await prisma.usagePeriod.findUniqueOrThrow({
      where: { periodStart },
      include: { totals: { orderBy: [{ used: "asc" }] } },
    });
    const total = await prisma.usagePeriodTotal.findUniqueOrThrow({
      where: { userId_periodStart_metric: { userId, periodStart, metric: "searches" } },
      include: { period: true },
    });

    expect(readBack).toMatchObject({ ...period, closedBy: "startup" });
    expect(readBack.totals.map((row) => [row.metric, row.used])).toEqual([
      ["exports", 0],
      ["searches", 7],
      ["searches", 42],
    ]);
    expect(readBack.totals).toContainEqual(separate);
    expect(total).toMatchObject({ userId, periodStart, metric: "searches", used: 42, period: { periodStart } });
    // onDelete: Restrict keeps the period-close record.
    await expect(prisma.usagePeriod.delete({ where: { periodStart } })).rejects.toMatchObject({ code: "P2003" });
  });

  it("writes and reads back a UsageCounter through its relation to User; deleting the user cascades", async () => {
    const user = await prisma.user.create({ data: { clerkUserId: `user_${randomUUID()}` } });
    const periodStart = at("2026-04-01T00:00:00.000Z");

    const created = await prisma.usageCounter.create({
      data: { user: { connect: { id: user.id } }, metric: "searches", periodStart, used: 3 },
    });
    const defaulted = await prisma.usageCounter.create({ data: { userId: user.id, metric: "exports", periodStart } });
    const readBack = await prisma.usageCounter.findUniqueOrThrow({
      where: { userId_metric_periodStart: { userId: user.id, metric: "searches", periodStart } },
      include: { user: { include: { usageCounters: { orderBy: { metric: "asc" } } } } },
    });

    expect(readBack).toMatchObject({ userId: user.id, metric: "searches", periodStart, used: 3 });
    expect(readBack.updatedAt).toBeInstanceOf(Date);
    expect(readBack.user.usageCounters).toEqual([defaulted, created]);
    expect(defaulted.used).toBe(0);

    await prisma.user.delete({ where: { id: user.id } });
    expect(await prisma.usageCounter.count({ where: { userId: user.id } })).toBe(0);
  });

  it("writes and reads back a UsageIdempotencyKey with its Json outcome", async () => {
    const userId = randomUUID(); // no foreign key: keys are short-lived
    const outcome = { status: 200, body: { allowed: true, used: 3, limit: 100, metric: "searches" } };
    const data = {
      userId,
      key: "idem-key-1",
      requestHash: "a".repeat(64),
      outcome,
      expiresAt: at("2026-04-02T00:00:00.000Z"),
    };

    await prisma.usageIdempotencyKey.create({ data });
    const readBack = await prisma.usageIdempotencyKey.findUniqueOrThrow({
      where: { userId_key: { userId, key: "idem-key-1" } },
    });

    expect(readBack).toEqual({ ...data, createdAt: expect.any(Date) });
    await expect(prisma.usageIdempotencyKey.create({ data })).rejects.toMatchObject({ code: "P2002" });
  });

  it("writes and reads back a ReplayAudit with its Json filter and tally", async () => {
    const data = {
      role: "admin",
      tokenFingerprint: "0123abcd",
      claimedUser: "ops-ünïcødé",
      filter: { customerId: "cus_1", statuses: ["dead"], since: "2026-01-01T00:00:00.000Z" },
      dryRun: false,
      selected: 2,
      tally: { selected: 2, retried: 1, reAdded: 1 },
    };

    const created = await prisma.replayAudit.create({ data });
    const readBack = await prisma.replayAudit.findUniqueOrThrow({ where: { id: created.id } });

    expect(readBack).toEqual({ ...data, id: created.id, createdAt: expect.any(Date) });
    expect(typeof readBack.id).toBe("bigint");
  });
});
