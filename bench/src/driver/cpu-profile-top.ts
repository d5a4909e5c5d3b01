import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  micros: number;
  share: number;
}

/**
 * Self time per function (name and location) over the `.cpuprofile` files given, largest first,
 * as a share of the CPU time sampled (idle samples left out). A profile covers the whole process
 * life, start-up included.
 */
export function topSelfTime(files: readonly string[], root: string, limit = 15): SelfTime[] {
  const byName = new Map<string, number>();
  let total = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
    const names = new Map(
      profile.nodes.map((node) => {
        const { functionName, url, lineNumber } = node.callFrame;
        const file = url.replace(/^file:\/\//, "").replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, "").replace(`${root}/`, "");
        const where = url ? ` ${file}:${lineNumber + 1}` : "";
        return [node.id, `${functionName || "(anonymous)"}${where}`];
      }),
    );
    profile.samples.forEach((id, index) => {
      const name = names.get(id) ?? "?";
      if (name === "(idle)") return;
      const delta = profile.timeDeltas[index] ?? 0;
      total += delta;
      byName.set(name, (byName.get(name) ?? 0) + delta);
    });
  }
  return [...byName]
    .map(([name, micros]) => ({ name, micros, share: total > 0 ? micros / total : 0 }))
    .sort((a, b) => b.micros - a.micros)
    .slice(0, limit);
}

/** The `.cpuprofile` files in a folder. */
export function profilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith(".cpuprofile"))
      .map((name) => path.join(dir, name));
  } catch {
    return [];
  }
}
