/**
 * Bots are labelled before clustering: a declared bot user agent (the features SQL matches `isbot`'s
 * list) or a fetch of robots.txt / a sitemap is evidence no centroid can outvote. Labelling them first
 * also keeps their many fast, regular, deep sessions from dragging the human clusters towards them.
 * The rule is the same in JS (tests, sample) and SQL (every session).
 */
import { cleanValue, type FeatureColumns } from './feature-space';

export const BOT_PERSONA = 'bot_crawler';
export const BOT_COLUMNS = ['is_bot_ua', 'robots_hits'] as const;

/** True for a session that declares itself a bot or reads robots.txt / sitemaps. */
export function isBotSession(isBotUa: number | undefined, robotsHits: number | undefined): boolean {
  return cleanValue(isBotUa) >= 0.5 || cleanValue(robotsHits) > 0;
}

/** The bot rule as a portable SQL condition (booleans and integers both cast to DOUBLE). */
export function botConditionSql(): string {
  return `(COALESCE(CAST("is_bot_ua" AS DOUBLE), 0e0) >= 5e-1 OR COALESCE(CAST("robots_hits" AS DOUBLE), 0e0) > 0e0)`;
}

/** Rows of the sample that are bots (1) or not (0). Columns missing from the sample count as 0. */
export function botMask(columns: FeatureColumns, n: number): Uint8Array {
  const ua = columns['is_bot_ua'];
  const robots = columns['robots_hits'];
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = isBotSession(ua?.[i], robots?.[i]) ? 1 : 0;
  return mask;
}
