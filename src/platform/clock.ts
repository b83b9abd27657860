// The server clock. Timestamps, token expiry and rate-limit windows all read it, so a test can freeze or
// move time instead of sleeping. It never leaves the range of times the mock accepts (mock-time.ts), so
// every stamp it gives is one a state import takes back.
import { InvalidInput } from './errors';
import { EARLIEST_TIME_MS, LATEST_TIME_MS, LATEST_TIME, TIME_RANGE } from './mock-time';
export class Clock {
  private frozenAt: number | null = null;
  private offsetMs = 0;

  /** A running clock moved near the latest time stops there: real time passing must not carry it past. */
  nowMs(): number {
    return this.frozenAt ?? Math.min(Date.now() + this.offsetMs, LATEST_TIME_MS);
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** RFC 3339 UTC with second precision, as the vendors' examples show ("2026-05-01T12:00:00Z"). */
  isoNow(): string {
    return toRfc3339(this.nowMs());
  }

  /** Freezes at an instant (its text was checked as a mock time), or throws InvalidInput outside the range. */
  freeze(at: Date): void {
    const ms = at.getTime();
    if (!(ms >= EARLIEST_TIME_MS && ms <= LATEST_TIME_MS)) throw new InvalidInput(`Field 'freeze_at' must be a time from ${TIME_RANGE}`);
    this.frozenAt = ms;
  }

  /** Moves forward, or throws InvalidInput when that would pass the latest time the mock accepts. */
  advance(seconds: number): void {
    if (this.nowMs() + seconds * 1000 > LATEST_TIME_MS) {
      throw new InvalidInput(`Field 'advance_seconds' would move the clock past ${LATEST_TIME}, the latest time the mock accepts`);
    }
    if (this.frozenAt !== null) this.frozenAt += seconds * 1000;
    else this.offsetMs += seconds * 1000;
  }

  real(): void {
    this.frozenAt = null;
    this.offsetMs = 0;
  }

  describe(): { now: string; frozen: boolean; offset_seconds: number } {
    return { now: this.now().toISOString(), frozen: this.frozenAt !== null, offset_seconds: this.offsetMs / 1000 };
  }
}

// The last second formatted: every write in a second stamps the same one (a Date, toISOString and a
// replace were 2% of a PATCH in `npm run bench`).
let lastSecond = NaN;
let lastText = '';

export function toRfc3339(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = second;
  }
  return lastText;
}
