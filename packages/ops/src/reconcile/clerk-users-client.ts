import { createClerkClient, type ClerkClient } from "@clerk/backend";

/** The part of Clerk's Backend API reconciliation reads: the user list. */
export type ClerkUsersApi = Pick<ClerkClient, "users">;

export interface ClerkUsersClientOptions {
  secretKey: string;
  /** `https://api.clerk.com` in production; a fake server's `http://127.0.0.1:<port>` in tests. */
  apiUrl: string;
}

export function createClerkUsersClient(options: ClerkUsersClientOptions): ClerkUsersApi {
  return createClerkClient({ secretKey: options.secretKey, apiUrl: options.apiUrl });
}
