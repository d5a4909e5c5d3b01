import { html } from "./html";

describe("html", () => {
  it("escapes interpolated text, attributes included, and keeps nested markup", () => {
    const name = `<script>alert("x")</script>&'`;
    const row = html`<td title="${name}">${name}</td>`;
    expect(html`<tr>${[row, null, false]}</tr>`.toString()).toBe(
      "<tr><td title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;\">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</td></tr>",
    );
  });
});
