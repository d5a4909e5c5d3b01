import { startFakeApiServer, type FakeApiServer } from "./fake-api-server";

export interface FakeStripeApi extends FakeApiServer {
  /** The events it lists; tests may add more. */
  events: Record<string, unknown>[];
  /** The next this many requests are answered 429 (with `Retry-After: 1`). */
  rateLimitNext(count: number): void;
}

/**
 * Stripe's `GET /v1/events` as the API serves it: newest first, `created[gte|lte|gt|lt]` and
 * `types[]` filters, pages of `limit` with `has_more`, continued by `starting_after`; a 429 in
 * Stripe's error shape when asked to.
 */
export async function startFakeStripeApi(events: Record<string, unknown>[] = []): Promise<FakeStripeApi> {
  let rateLimited = 0;
  const server = await startFakeApiServer((url) => {
    if (rateLimited > 0) {
      rateLimited -= 1;
      return {
        status: 429,
        headers: { "Retry-After": "1" },
        body: { error: { type: "invalid_request_error", code: "rate_limit", message: "Too many requests" } },
      };
    }
    if (url.pathname !== "/v1/events") return { status: 404, body: { error: { type: "invalid_request_error", message: "no such path" } } };
    return { status: 200, body: listEvents(fake.events, url.searchParams) };
  });
  const fake: FakeStripeApi = {
    ...server,
    events,
    rateLimitNext(count) {
      rateLimited = count;
    },
  };
  return fake;
}

function listEvents(events: Record<string, unknown>[], query: URLSearchParams) {
  const created = (event: Record<string, unknown>) => event.created as number;
  const bound = (name: string) => (query.has(`created[${name}]`) ? Number(query.get(`created[${name}]`)) : undefined);
  const [gte, lte, gt, lt] = [bound("gte"), bound("lte"), bound("gt"), bound("lt")];
  const types = [...query.entries()].filter(([key]) => /^types\[\d*\]$/.test(key)).map(([, value]) => value);
  const matching = events
    .filter((event) => gte === undefined || created(event) >= gte)
    .filter((event) => lte === undefined || created(event) <= lte)
    .filter((event) => gt === undefined || created(event) > gt)
    .filter((event) => lt === undefined || created(event) < lt)
    .filter((event) => types.length === 0 || types.includes(event.type as string))
    .sort((a, b) => created(b) - created(a) || String(b.id).localeCompare(String(a.id)));
  const after = query.get("starting_after");
  const start = after === null ? 0 : matching.findIndex((event) => event.id === after) + 1;
  const limit = Number(query.get("limit") ?? 10);
  const data = matching.slice(start, start + limit);
  return { object: "list", url: "/v1/events", has_more: start + limit < matching.length, data };
}
