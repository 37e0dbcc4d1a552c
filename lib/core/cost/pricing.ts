/**
 * Athena billing arithmetic: what a run's budget is in bytes, what a scan is billed and costs, and the
 * per-query bytes-scanned cutoff the workgroup enforces. Pure; prices come from config.
 */
import { OptionError } from '../errors';

/** A run's budget: bytes scanned, or US dollars of Athena scanning. */
export type RunBudget = { readonly bytes: number } | { readonly usd: number };

/** How Athena bills (DEFAULTS.cost holds the list prices). */
export interface AthenaPricing {
  readonly athenaUsdPerTb: number;
  readonly bytesPerTb: number;
  readonly billingUnitBytes: number;
  readonly minBilledBytesPerQuery: number;
}

/** Budget in bytes scanned. Throws OptionError for a budget that is not a positive finite number. */
export function budgetBytes(budget: RunBudget, pricing: AthenaPricing): number {
  const amount = 'bytes' in budget ? budget.bytes : budget.usd;
  if (!Number.isFinite(amount) || amount <= 0) {
    throw new OptionError(
      `run budget must be a positive number of ${'bytes' in budget ? 'bytes' : 'USD'}, got ${amount}; ` +
        'set --budget (or the CDK context budgetUsd/budgetBytes) to e.g. 1 (USD)',
    );
  }
  if ('bytes' in budget) return Math.floor(budget.bytes);
  return Math.floor((budget.usd / pricing.athenaUsdPerTb) * pricing.bytesPerTb);
}

/** Bytes Athena bills for one query that scans `scannedBytes`: rounded up to the unit, with the minimum. */
export function billedBytesPerQuery(scannedBytes: number, pricing: AthenaPricing): number {
  const rounded = Math.ceil(Math.max(0, scannedBytes) / pricing.billingUnitBytes) * pricing.billingUnitBytes;
  return Math.max(pricing.minBilledBytesPerQuery, rounded);
}

/** US dollars for `billedBytes` scanned. */
export function scanCostUsd(billedBytes: number, pricing: AthenaPricing): number {
  return (billedBytes / pricing.bytesPerTb) * pricing.athenaUsdPerTb;
}

/**
 * The workgroup's bytes-scanned cutoff per query: no single query may scan more than the whole run's
 * budget. It is the hard stop behind the planner's estimate (an estimate can be wrong; the cutoff
 * cancels the query). Athena accepts at least 10 MB, so smaller budgets are raised to that.
 */
export function perQueryCutoffBytes(budget: RunBudget, pricing: AthenaPricing): number {
  const bytes = budgetBytes(budget, pricing);
  const units = Math.ceil(bytes / pricing.billingUnitBytes) * pricing.billingUnitBytes;
  return Math.max(pricing.minBilledBytesPerQuery, units);
}

/** What a run's queries actually scanned, as the manifest records it next to the plan's estimate. */
export interface ScanActuals {
  readonly queries: number;
  readonly scannedBytes: number;
  readonly billedBytes: number;
  readonly costUsd: number;
}

/** Sums the bytes Athena reports per query (`DataScannedInBytes`) and prices them as Athena bills. */
export function scanActuals(scannedBytesPerQuery: readonly number[], pricing: AthenaPricing): ScanActuals {
  const billed = scannedBytesPerQuery.reduce((sum, b) => sum + billedBytesPerQuery(b, pricing), 0);
  return {
    queries: scannedBytesPerQuery.length,
    scannedBytes: scannedBytesPerQuery.reduce((sum, b) => sum + b, 0),
    billedBytes: billed,
    costUsd: scanCostUsd(billed, pricing),
  };
}
