// The server clock. Timestamps, token expiry and rate-limit windows all read it, so a test can freeze or
// move time instead of sleeping.
export class Clock {
  private frozenAt: number | null = null;
  private offsetMs = 0;

  nowMs(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** RFC 3339 UTC with second precision, as the vendors' examples show ("2026-05-01T12:00:00Z"). */
  isoNow(): string {
    return toRfc3339(this.nowMs());
  }

  freeze(at: Date): void {
    this.frozenAt = at.getTime();
  }

  advance(seconds: number): void {
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
