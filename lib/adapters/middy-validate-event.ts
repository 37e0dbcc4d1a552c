/**
 * A middy `before` middleware that replaces the raw event with the result of a parse function, so a
 * handler receives a validated, typed event. A parse failure throws `InvalidEventError` before any
 * AWS call is made. (Powertools' parser middleware needs zod, which this project does not ship.)
 */
import type middy from '@middy/core';

/** The event does not have the shape this handler accepts. Not retryable: the same event fails again. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

/** Throws InvalidEventError with `message` unless `condition` holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvalidEventError(message);
}

/** A parse step: returns the typed event or throws InvalidEventError saying what is wrong. */
export type EventParser<T> = (raw: unknown) => T;

export function validateEvent<T>(parse: EventParser<T>): middy.MiddlewareObj<unknown, unknown> {
  return {
    before: (request) => {
      request.event = parse(request.event);
    },
  };
}

/** Narrows an unknown value to a plain object (record) or fails with `what`. */
export function asRecord(value: unknown, what: string): Record<string, unknown> {
  check(typeof value === 'object' && value !== null && !Array.isArray(value), `${what} must be an object`);
  return value as Record<string, unknown>;
}

/** A non-empty string field of `record`, or InvalidEventError naming the field. */
export function stringField(record: Record<string, unknown>, field: string, where: string): string {
  const v = record[field];
  check(typeof v === 'string' && v.length > 0, `${where}.${field} must be a non-empty string`);
  return v;
}

/** An ISO-8601 time field as epoch seconds, or InvalidEventError. */
export function timeField(record: Record<string, unknown>, field: string, where: string): number {
  const text = stringField(record, field, where);
  const ms = Date.parse(text);
  check(Number.isFinite(ms), `${where}.${field} must be an ISO-8601 time, got "${text.slice(0, 40)}"`);
  return ms / 1000;
}
