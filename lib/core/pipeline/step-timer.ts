/**
 * Per-step timings for manifest.json, so a user sees where the time of a run goes.
 */
import type { StepTiming } from '../types';

export class StepTimer {
  readonly timings: StepTiming[] = [];
  /** The step in progress, for failure reports. */
  current: string | undefined;

  constructor(
    private readonly now: () => number,
    private readonly onStep?: ((step: string, phase: 'start' | 'end', seconds?: number) => void) | undefined,
  ) {}

  async step<T>(name: string, work: () => Promise<T>, rows?: (result: T) => number): Promise<T> {
    this.current = name;
    this.onStep?.(name, 'start');
    const started = this.now();
    const result = await work();
    const seconds = Math.round((this.now() - started) * 1000) / 1e6;
    const timing: StepTiming = { step: name, seconds };
    const n = rows?.(result);
    if (n !== undefined) timing.rows = n;
    this.timings.push(timing);
    this.onStep?.(name, 'end', seconds);
    this.current = undefined;
    return result;
  }
}
