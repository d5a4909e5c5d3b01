/** `NAME=value` that a POSIX shell evaluates back to exactly `value` (bare when it is plain, else single-quoted). */
export function shellAssignment(name: string, value: string): string {
  const quoted = /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
  return `${name}=${quoted}`;
}
