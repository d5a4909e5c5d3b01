import type { CliCommand } from "./cli-io";
import { runReconcileCommand } from "./reconcile/reconcile-command";
import { runReplayCommand } from "./replay/replay-command";
import { runTriggerCommand } from "./trigger/trigger-command";

export interface CommandEntry {
  /** One line for the app's --help. */
  summary: string;
  run: CliCommand;
}

/**
 * Every subcommand of `ops-cli <command> …`, in the order --help lists them. A new command is one
 * more entry here.
 */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  replay: {
    summary: "put dead/failed/ignored deliveries from the ledger back into the queues (dry run by default)",
    run: runReplayCommand,
  },
  trigger: {
    summary: "send a realistic signed Stripe or Clerk event to a running receiver and print what the ledger recorded",
    run: runTriggerCommand,
  },
  reconcile: {
    summary: "find Stripe events and Clerk users the ledger is missing or behind on, and enqueue them (dry run by default)",
    run: runReconcileCommand,
  },
};
