/**
 * The SQL building blocks every persona expression shares, in the portable subset DuckDB and
 * Athena/Trino both read the same way: DOUBLE literals in exponent form (a plain `0.15` is DECIMAL in
 * both engines) and feature columns cast to DOUBLE with NULL read as 0, as the JS side does.
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** A DOUBLE literal that round-trips exactly (shortest exponent form). */
export function doubleLiteral(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`persona SQL: non-finite constant ${x}`);
  return `(${x.toExponential().toUpperCase()})`;
}

export function stringLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A feature column as DOUBLE, NULL as 0 (booleans and integers both cast). */
export function featureColumnSql(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`persona SQL: bad column name ${name}`);
  return `COALESCE(CAST("${name}" AS DOUBLE), 0E0)`;
}
