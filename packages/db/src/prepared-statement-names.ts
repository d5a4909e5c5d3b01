/**
 * Names for the hot path's parameterised statements, so that each connection parses and plans
 * one once and then only binds and executes it. A name per distinct text, made in this process;
 * the texts are fixed SQL with `$n` parameters, so there are a few dozen. The cap keeps a text
 * built with literal values (a bug) from preparing without bound: past it, statements run unnamed.
 */
const MAX_NAMED_STATEMENTS = 256;
const names = new Map<string, string>();

export function preparedStatementName(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined || names.size >= MAX_NAMED_STATEMENTS) return known;
  const name = `wh_${names.size + 1}`;
  names.set(text, name);
  return name;
}
