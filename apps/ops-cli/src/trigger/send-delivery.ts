import type { TriggerDelivery } from "./build-trigger-delivery";

/** How long the receiver may take to answer one delivery (it answers after Redis has the job). */
const SEND_TIMEOUT_MS = 10_000;

/** POSTs the delivery; throws an error that says what to check when the receiver is down or refuses it. */
export async function sendDelivery(receiverUrl: string, delivery: TriggerDelivery): Promise<number> {
  const url = `${receiverUrl}${delivery.path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    throw new Error(`receiver not reachable at ${url} (${reason}): is it running? (--receiver-url)`);
  }
  const text = (await response.text()).slice(0, 300);
  if (!response.ok) {
    const hint =
      response.status === 400
        ? ": is the signing secret the receiver's? (STRIPE_WEBHOOK_SECRET / CLERK_WEBHOOK_SECRET)"
        : response.status === 503
          ? ": the receiver could not reach Redis"
          : "";
    throw new Error(`receiver answered ${response.status} ${response.statusText} at ${url}${hint}; body: ${text}`);
  }
  return response.status;
}
