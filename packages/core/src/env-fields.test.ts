import { trustProxySetting } from "./env-fields";

describe("trustProxySetting", () => {
  it("maps TRUST_PROXY to what Express expects", () => {
    expect(trustProxySetting("false")).toBe(false);
    expect(trustProxySetting("true")).toBe(true);
    expect(trustProxySetting("2")).toBe(2);
    expect(trustProxySetting("10.0.0.0/8, loopback")).toBe("10.0.0.0/8, loopback");
  });
});
