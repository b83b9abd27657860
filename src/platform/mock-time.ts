// A time the mock accepts: the one owner of that rule, for every way a time comes in (the control API's
// clock, state imports, seed data, and the MCP tools, which call the control API). It is JSON Schema's
// `date-time` (RFC 3339), narrowed to what the mock can store, stamp and give back unchanged: a real
// calendar date and time of day, no leap second (`23:59:60`: JavaScript's Date has none and Date.parse
// gives NaN), and an instant from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z (before it, rate-limit
// windows and token expiry go negative; after it, toISOString writes `+010000-…`, which is not RFC 3339 and
// would not import back). Every ajv that checks a document gets it in place of ajv-formats' `date-time`
// (platform/schemas.ts, and the seed validators compiled at build time: scripts/schema-validators.mjs), so
// a time outside it is a 400 in the caller's shape, never a RangeError from a Date.
import { fullFormats } from 'ajv-formats/dist/formats';

/** The earliest instant the mock accepts (the Unix epoch). */
export const EARLIEST_TIME_MS = 0;
/** The latest: the last second with a four-digit year. */
export const LATEST_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59);
export const LATEST_TIME = '9999-12-31T23:59:59Z';
export const TIME_RANGE = `1970-01-01T00:00:00Z to ${LATEST_TIME}`;
/** The rule in words, for error messages. */
export const MOCK_TIME_RULE = `an RFC 3339 time (e.g. 2026-05-01T12:00:00Z) from ${TIME_RANGE}, without a leap second`;

// The longest RFC 3339 time the mock reads (nanoseconds and an offset fit): longer is refused unread.
const MAX_TIME_LENGTH = 40;
const RFC_3339 = /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.\d+)?(?:[Zz]|[+-](\d\d):(\d\d))$/;

/** The instant a time names, in ms since the epoch, or undefined when the mock does not accept it. */
export function mockTimeMs(value: string): number | undefined {
  if (value.length > MAX_TIME_LENGTH) return undefined;
  const m = RFC_3339.exec(value);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second, offsetHours = 0, offsetMinutes = 0] = m.slice(1).map((part) => Number(part ?? 0));
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2026-02-30 over to March, and reads years 0-99 as 1900-1999.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const ms = Date.parse(value.toUpperCase());
  return Number.isFinite(ms) && ms >= EARLIEST_TIME_MS && ms <= LATEST_TIME_MS ? ms : undefined;
}

export const isMockTime = (value: string): boolean => mockTimeMs(value) !== undefined;

/** ajv-formats' formats with `date-time` the mock's: what every document check uses. */
export const MOCK_FORMATS = { ...fullFormats, 'date-time': isMockTime };

/** Puts the mock's `date-time` in an ajv (after ajv-formats added its own). */
export function useMockTime(ajv: { addFormat(name: string, format: (value: string) => boolean): unknown }): void {
  ajv.addFormat('date-time', isMockTime);
}
