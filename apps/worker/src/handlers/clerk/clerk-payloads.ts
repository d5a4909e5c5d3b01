import { z } from "zod";

export const clerkUserSchema = z
  .object({
    id: z.string().startsWith("user_"),
    email_addresses: z.array(z.object({ id: z.string(), email_address: z.string() }).loose()).default([]),
    primary_email_address_id: z.string().nullish(),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
  })
  .loose();

export const clerkDeletedUserSchema = z.object({ id: z.string().startsWith("user_") }).loose();

export function primaryEmail(user: z.infer<typeof clerkUserSchema>): string | null {
  const primary = user.email_addresses.find((entry) => entry.id === user.primary_email_address_id);
  return (primary ?? user.email_addresses[0])?.email_address ?? null;
}
