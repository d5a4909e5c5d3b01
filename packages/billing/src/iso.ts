/** Timestamps go to Postgres as ISO strings cast to timestamptz: unambiguous whatever the session time zone. */
export const iso = (date: Date): string => date.toISOString();
