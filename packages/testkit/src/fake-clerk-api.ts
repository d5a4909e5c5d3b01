import { startFakeApiServer, type FakeApiServer } from "./fake-api-server";
import { FIXTURE_NAMES } from "@wh/provider-events";

export interface FakeClerkApi extends FakeApiServer {
  /** The users it lists (Clerk's user JSON); tests may change them. */
  users: Record<string, unknown>[];
}

/**
 * Clerk's Backend API user list as @clerk/backend reads it: `GET /v1/users` (an array, paged by
 * `limit` / `offset`, ordered by `order_by`) and `GET /v1/users/count`.
 */
export async function startFakeClerkApi(users: Record<string, unknown>[] = []): Promise<FakeClerkApi> {
  const server = await startFakeApiServer((url) => {
    if (url.pathname === "/v1/users/count") return { status: 200, body: { object: "total_count", total_count: fake.users.length } };
    if (url.pathname !== "/v1/users") return { status: 404, body: { errors: [{ code: "resource_not_found", message: "not found" }] } };
    const order = url.searchParams.get("order_by") ?? "-created_at";
    const field = order.replace(/^[+-]/, "");
    const sign = order.startsWith("+") ? 1 : -1;
    const sorted = [...fake.users].sort((a, b) => sign * ((a[field] as number) - (b[field] as number)));
    const offset = Number(url.searchParams.get("offset") ?? 0);
    const limit = Number(url.searchParams.get("limit") ?? 10);
    return { status: 200, body: sorted.slice(offset, offset + limit) };
  });
  const fake: FakeClerkApi = { ...server, users };
  return fake;
}

/** A user as Clerk's API returns it (the shape a `user.updated` webhook carries as `data`). */
export function clerkApiUser(user: { id: string; email: string; createdAt: number; updatedAt: number }): Record<string, unknown> {
  return {
    id: user.id,
    object: "user",
    email_addresses: [{ id: "idn_primary", object: "email_address", email_address: user.email, verification: null, linked_to: [] }],
    primary_email_address_id: "idn_primary",
    phone_numbers: [],
    web3_wallets: [],
    external_accounts: [],
    first_name: FIXTURE_NAMES.firstName,
    last_name: FIXTURE_NAMES.lastName,
    public_metadata: {},
    private_metadata: {},
    unsafe_metadata: {},
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}
