import Range from 'semver/classes/range';
import satisfies from 'semver/functions/satisfies';
import { packageJson } from './version';

/**
 * Why this Node cannot run syncmock, or undefined when it can. The supported lines are package.json's
 * `engines` (npm only warns about it): one place to change them. Other Nodes fail later and less clearly (a
 * native addon built for a newer Node-API crashes the process).
 */
export function unsupportedNode(nodeVersion: string = process.versions.node): string | undefined {
  const range = packageJson.engines.node;
  if (satisfies(nodeVersion, range)) return undefined;
  return `Node.js ${nodeVersion} is not supported; use Node.js ${supportedLines(range)} (package.json engines: ${range})`;
}

/** `^22.15.0 || ^24.0.0 || >=26.0.0` as a person says it: `22 (22.15 or later), 24, or 26 or later`. */
function supportedLines(range: string): string {
  const lines = new Range(range).set.map((comparators) => {
    const from = comparators.find((c) => c.operator === '>=')?.semver;
    if (from === undefined) return comparators.map(String).join(' ');
    const line = from.minor === 0 && from.patch === 0 ? `${from.major}` : `${from.major} (${from.major}.${from.minor} or later)`;
    return comparators.some((c) => c.operator === '<') ? line : `${line} or later`;
  });
  return lines.length < 2 ? lines.join('') : `${lines.slice(0, -1).join(', ')}, or ${lines[lines.length - 1]}`;
}
