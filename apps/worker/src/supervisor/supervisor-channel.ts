import type { Worker as ClusterWorker } from "node:cluster";
import type { MetricObjectWithValues, MetricValue, Registry } from "prom-client";

type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/**
 * The IPC between the worker supervisor and its processes: a process says it listens, then
 * answers the supervisor's questions (its metrics as JSON, for prom-client's AggregatorRegistry;
 * whether it is ready). The supervisor asks only processes that said they listen, so a process
 * still starting is not waited for.
 */
type Question = "metrics" | "ready";
type ChildMessage =
  | { type: "wh-worker:listening" }
  | { type: "wh-worker:answer"; id: number; ready?: boolean; metrics?: MetricsJson };
type SupervisorMessage = { type: "wh-worker:ask"; id: number; question: Question };

const isChildMessage = (message: unknown): message is ChildMessage =>
  typeof message === "object" && message !== null && String((message as { type?: unknown }).type).startsWith("wh-worker:");

/**
 * In a supervised process: answers the supervisor from now on. (A process whose supervisor is
 * gone, even by SIGKILL, exits at once: node:cluster does that when the IPC channel closes.)
 */
export function answerSupervisor(options: { registry: Registry; isReady: () => Promise<boolean> }): void {
  const send = (message: ChildMessage) => process.send?.(message);
  process.on("message", (message: SupervisorMessage) => {
    if (message?.type !== "wh-worker:ask") return;
    const answer =
      message.question === "ready"
        ? options.isReady().then((ready) => ({ ready }), () => ({ ready: false }))
        : options.registry.getMetricsAsJSON().then((metrics) => ({ metrics }));
    void answer.then((fields) => send({ type: "wh-worker:answer", id: message.id, ...fields }));
  });
  send({ type: "wh-worker:listening" });
}

/** The supervisor's side: which processes listen, and their answers within `timeoutMs` (else undefined). */
export class SupervisedProcesses {
  private readonly listening = new Set<ClusterWorker>();
  private nextId = 0;

  constructor(private readonly timeoutMs: number) {}

  /** Call once per forked process. */
  watch(child: ClusterWorker): void {
    child.on("message", (message: unknown) => {
      if (isChildMessage(message) && message.type === "wh-worker:listening") this.listening.add(child);
    });
    child.once("exit", () => this.listening.delete(child));
  }

  get listeningCount(): number {
    return this.listening.size;
  }

  /** Each listening process's readiness; one that does not answer in time is not ready. */
  async readiness(): Promise<boolean[]> {
    const answers = await Promise.all([...this.listening].map((child) => this.ask(child, "ready")));
    return answers.map((answer) => answer === true);
  }

  /** The metrics of every listening process that answered in time (for AggregatorRegistry.aggregate). */
  async metrics(): Promise<MetricsJson[]> {
    const answers = await Promise.all([...this.listening].map((child) => this.ask(child, "metrics")));
    return answers.filter((answer): answer is MetricsJson => Array.isArray(answer));
  }

  private ask(child: ClusterWorker, question: Question): Promise<boolean | MetricsJson | undefined> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const finish = (value: boolean | MetricsJson | undefined) => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve(value);
      };
      const onMessage = (message: unknown) => {
        if (isChildMessage(message) && message.type === "wh-worker:answer" && message.id === id) {
          finish(question === "ready" ? message.ready === true : message.metrics);
        }
      };
      const onExit = () => finish(undefined);
      const timer = setTimeout(() => finish(undefined), this.timeoutMs);
      child.on("message", onMessage);
      child.once("exit", onExit);
      child.send({ type: "wh-worker:ask", id, question } satisfies SupervisorMessage);
    });
  }
}
