/**
 * An SqlEngine that answers queries another engine already ran: the domain's query runners
 * (buildModel, productionFigures) call it with the exact SQL texts they render, and get back the
 * rows recorded for those texts from the one tagged Athena result. A query it has no rows for is a
 * bug (a runner asking something the staged query did not include) and fails loudly; so does a
 * table it was asked to materialise that the chain does not define.
 */
import type { SqlDialectName, SqlEngine, SqlRow } from '../types';

export class ReplayEngine implements SqlEngine {
  constructor(
    readonly dialect: SqlDialectName,
    private readonly answers: ReadonlyMap<string, readonly SqlRow[]>,
    /** Statements the staged query already ran as CTEs (materialisations to skip). */
    private readonly materialised: ReadonlySet<string> = new Set(),
  ) {}

  async exec(sql: string): Promise<void> {
    if (!this.materialised.has(sql)) throw new Error(`replay engine: statement not part of the staged query: ${sql.slice(0, 120)}`);
  }

  async query<T = SqlRow>(sql: string): Promise<T[]> {
    const rows = this.answers.get(sql);
    if (!rows) throw new Error(`replay engine: no recorded result for query: ${sql.trim().slice(0, 120)}`);
    return rows.map((r) => ({ ...r })) as T[];
  }
}
