// Each Datadog revision's request schemas: the same file names, one directory per revision (responses are
// the same in both).
import { schema, type SchemaObject } from '../platform/schemas';
import type { DatadogRevision } from './revision';

const SCHEMA_DIRS: Record<DatadogRevision, string> = { '2026-06': 'datadog', '2026-08': 'datadog/2026-08' };

/** A revision's schema file, e.g. revisionSchema('2026-08', 'list-query.json'). */
export const revisionSchema = (revision: DatadogRevision, file: string): SchemaObject => schema(`${SCHEMA_DIRS[revision]}/${file}`);
