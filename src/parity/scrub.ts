// Credentials never reach the output, the report or a recording: every string written passes through here.
// Structural redaction (auth headers are symbolic, secrets fields are placeholders) keeps them out in the
// first place; this catches the rest, e.g. a vendor error message that echoes what it was sent.
import { REDACTED } from '../platform/redaction';
import type { Vars } from './step';

export class Scrubber {
  constructor(private readonly sources: Vars[]) {}

  private secrets(): string[] {
    // Very short values would blank out ordinary text; no real credential is that short.
    return this.sources.flatMap((vars) => vars.secrets()).filter((s) => s.length >= 4)
      .sort((a, b) => b.length - a.length);
  }

  text(value: string): string {
    let out = value;
    for (const secret of this.secrets()) out = out.split(secret).join(REDACTED);
    return out;
  }

  /** Every string inside a JSON value, keys included, scrubbed (before serialising, so escaping cannot hide one). */
  deep<T>(value: T): T {
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.deep(v)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.text(k), this.deep(v)])) as T;
    }
    return value;
  }
}
