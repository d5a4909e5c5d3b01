import { execFileSync } from "node:child_process";
import { shellAssignment } from "./shell-assignment";

describe("shellAssignment", () => {
  it("prints plain values bare, as `printf %q` does", () => {
    expect(shellAssignment("REDIS_URL", "redis://127.0.0.1:6390")).toBe("REDIS_URL=redis://127.0.0.1:6390");
  });

  it.each([
    "postgresql://postgres:p@ss word@127.0.0.1:5440/webhooks?sslmode=disable&x=1",
    "it's $HOME `id` \"quoted\" \\ back",
    "whsec_bG9jYWwtZGV2ZWxvcG1lbnQtb25seS1jbGVyaw==",
  ])("evaluates in bash to exactly %p", (value) => {
    const script = `export ${shellAssignment("VALUE", value)}; printf '%s' "$VALUE"`;
    expect(execFileSync("bash", ["-c", script], { encoding: "utf8" })).toBe(value);
  });
});
