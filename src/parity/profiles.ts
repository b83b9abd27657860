// What is compared per vendor, from the vendors' documentation (reference/datadog.md §4.4, sailpoint.md §1.5,
// §3.5, §4). Body paths are dotted, with `[]` for every item of an array.
import type { VendorName } from './step';

export interface VendorProfile {
  /** Documented headers whose presence is compared (Content-Type is compared by media type for all). */
  presenceHeaders: string[];
  /** Free-form objects whose keys the caller chose: compared as "an object", not key by key. */
  opaque: string[];
  /** Where error texts sit: compared after normalising, and kept (normalised) in recordings. */
  errorTexts: string[];
  /** Strings kept verbatim in recordings (enums, the attribute mapping a replay needs); others are scrubbed. */
  keep: string[];
}

/** `data.x` for a single resource and `data[].x` for a list. */
const eachResource = (...paths: string[]): string[] => paths.flatMap((p) => [`data.${p}`, `data[].${p}`]);

export const PROFILES: Record<VendorName, VendorProfile> = {
  datadog: {
    presenceHeaders: ['X-RateLimit-Limit', 'X-RateLimit-Period', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'X-RateLimit-Name'],
    opaque: eachResource('attributes.settings'),
    // APIErrorResponse holds strings; other v2 endpoints answer JSON:API error objects.
    errorTexts: ['errors[]', 'errors[].title', 'errors[].detail'],
    keep: eachResource('type', 'attributes.integration_type', 'attributes.state'),
  },
  sailpoint: {
    presenceHeaders: ['SLPT-Request-ID', 'Retry-After'],
    opaque: [],
    // ErrorResponseDto, the gateway's {error} and {message}, and OAuth's {error, error_description}.
    errorTexts: ['detailCode', 'messages[].text', 'causes[].text', 'error', 'error_description', 'message'],
    keep: [
      'token_type', 'source.type', 'attributes[].name', 'attributes[].displayName', 'attributes[].target',
      'messages[].locale', 'messages[].localeOrigin', 'causes[].locale', 'causes[].localeOrigin',
    ],
  },
};
