// The rules of Datadog's entity context sync configurations, over the store. No HTTP here: routes.ts
// calls these methods and turns what they return or raise into replies.
import type { Clock } from '../platform/clock';
import { toRfc3339 } from '../platform/clock';
import { InvalidInput, shown } from '../platform/errors';
import { ScopeRegistry } from '../platform/scope-registry';
import { newUuid } from '../platform/ids';
import type { SeedAzureAppRegistration, SeedDatadogOrg, SeedIntegrationConfig } from './seed';
import type { AzureAppRegistrationRow, AzureAppRegistrationStore } from './store/azure-app-registrations';
import type { IntegrationConfigRow, IntegrationConfigRowWithoutSecrets, IntegrationConfigStore, OrgUsage } from './store/integration-configs';
import type {
  Datadog202608IntegrationActivateRequest, Datadog202608IntegrationConfigCreateRequest, Datadog202608IntegrationConfigUpdateRequest,
  Datadog202608IntegrationCredentialsValidateRequest, DatadogIntegrationConfigCreateRequest, DatadogIntegrationConfigUpdateRequest,
  DatadogIntegrationCredentialsValidateRequest, IntegrationConfigState,
} from '../generated/schema-types';
import type { CredentialCheck } from './credentials';
import { InvalidArgument, ResourceNotFound } from './errors';
import { INTEGRATION_TYPES, integrationTypeFromPath, takesNoSecrets, type IntegrationType } from './integration-types';

/** What the API shows of a config: everything but the secrets. */
export interface IntegrationConfig {
  id: string;
  integrationType: IntegrationType;
  name?: string;
  domain: string;
  enabled: boolean;
  settings?: Record<string, unknown>;
  state: IntegrationConfigState;
  createdAt: string;
  modifiedAt: string;
}

/**
 * A config as the state export shows it: what the API shows, whether secrets are stored (never what they
 * are: the export has nothing to redact), and for one created under a state delay, when it is valid from.
 */
export type ExportedIntegrationConfig = IntegrationConfig & { hasSecrets: boolean; readyAt?: string };

/** A config in the seed data or an imported state document (the same fields). */
export type ImportedIntegrationConfig = SeedIntegrationConfig;

/** One org's state as stored, for the state export. */
export interface OrgSnapshot {
  orgId: string;
  /** When the store registered it; undefined for an org it does not hold. */
  createdAt?: string;
  configs: ExportedIntegrationConfig[];
  azureAppRegistrations: AzureAppRegistrationRow[];
}

/** One org's state to import; registrations left out keep the org's own. */
export interface ImportedOrg {
  orgId: string;
  /** When it was registered (an export's); now when not given. */
  createdAt?: string;
  configs: ImportedIntegrationConfig[];
  azureAppRegistrations?: AzureAppRegistrationRow[];
}

// Request attributes as the schemas define them, in either revision (src/generated/schema-types.ts).
type Attributes<Request extends { data?: { attributes?: unknown } }> = NonNullable<NonNullable<Request['data']>['attributes']>;

/** `secrets` is absent only for sources that take none (revision 2026-08's ENTRA_ID). */
export type CreateAttributes = Attributes<DatadogIntegrationConfigCreateRequest | Datadog202608IntegrationConfigCreateRequest>;
export type UpdateAttributes = Attributes<DatadogIntegrationConfigUpdateRequest | Datadog202608IntegrationConfigUpdateRequest>;
export type CredentialsAttributes = Attributes<DatadogIntegrationCredentialsValidateRequest | Datadog202608IntegrationCredentialsValidateRequest>;
/** Overrides for a config that activate creates; all optional. */
export type ActivateAttributes = Attributes<Datadog202608IntegrationActivateRequest>;

/** The secrets of a request's attributes: opaque, whatever their source's schema says they hold. */
const secretsOf = (attrs: object): Record<string, unknown> | undefined =>
  ('secrets' in attrs ? attrs.secrets as Record<string, unknown> | undefined : undefined);

/** What GET …/entra_id/azure_app_registrations reports for an org. */
export interface EntraIdPrerequisites {
  orgId: string;
  registrations: AzureAppRegistrationRow[];
  /** At least one registration collects resources. */
  hasValidPrerequisite: boolean;
  /** The org's Entra ID config, when it has one. */
  integration?: IntegrationConfig;
}

/** What activate fills in when the request names no domain or name (the spec's example domain). */
const ACTIVATE_DEFAULTS = { domain: 'default', name: 'Entra ID' };

/**
 * What one org may hold: syncmock's bounds (Datadog documents none), so that the costliest read of an org,
 * the list (unpaginated, as Datadog's is), stays well within the 100 ms a request may hold the server
 * (README, Limits, with the figures). A write that would pass one is refused and changes nothing. Any one
 * create the body limit (1 MiB) lets through fits an empty org; a test suite's configs are far smaller.
 */
export const ORG_BOUNDS: Readonly<OrgUsage> = { configs: 1000, storedBytes: 1024 * 1024 };

/** What passes a bound, in words; undefined when the usage is within them. */
export function orgBoundPassed(usage: OrgUsage): string | undefined {
  if (usage.configs > ORG_BOUNDS.configs) return `at most ${ORG_BOUNDS.configs} integration configs may be held per org`;
  if (usage.storedBytes > ORG_BOUNDS.storedBytes) {
    return `at most ${ORG_BOUNDS.storedBytes} bytes of settings and secrets (as JSON) may be held per org; this would make ${usage.storedBytes}`;
  }
  return undefined;
}

export interface DatadogModelOptions {
  /** Seconds a new config reads as `initializing` before `valid`. */
  stateDelaySeconds: number;
}

/**
 * The seed data's orgs are in the store from the start (and again after a reset); any other org (open mode)
 * is registered by its first write. Reads never write: an org the store does not hold reads as empty.
 */
export class IntegrationConfigModel {
  private readonly orgs = new ScopeRegistry((orgId) => this.seedOrg(orgId, this.clock.isoNow()), (fn) => this.store.transaction(fn),
    (orgId) => this.store.orgCreatedAt(orgId) !== undefined);

  constructor(
    private readonly store: IntegrationConfigStore,
    private readonly registrations: AzureAppRegistrationStore,
    private readonly clock: Clock,
    private readonly seedOrgs: SeedDatadogOrg[],
    private readonly credentials: CredentialCheck,
    private readonly options: DatadogModelOptions,
  ) {
    this.seedAll();
  }

  /** How many orgs the cache of registered ones holds (the bounded-state tests read it). */
  get knownOrgs(): number {
    return this.orgs.size;
  }

  list(orgId: string, integrationType?: string): IntegrationConfig[] {
    return this.store.listWithoutSecrets(orgId, integrationType).map((row) => this.view(row));
  }

  get(orgId: string, id: string): IntegrationConfig {
    const row = this.store.getWithoutSecrets(orgId, id);
    if (!row) throw notFound(id);
    return this.view(row);
  }

  /** Checks the credentials first: invalid ones answer 400 and nothing is stored. */
  create(orgId: string, attrs: CreateAttributes): IntegrationConfig {
    const secrets = secretsOf(attrs);
    this.requireValidCredentials(orgId, attrs.integration_type, secrets);
    const now = this.clock.isoNow();
    const row: IntegrationConfigRow = {
      id: newUuid(),
      orgId,
      integrationType: attrs.integration_type,
      name: attrs.name,
      domain: attrs.domain,
      enabled: true,
      settings: attrs.settings ?? null,
      secrets: secrets ?? null,
      state: 'valid',
      readyAt: this.options.stateDelaySeconds > 0 ? toRfc3339(this.clock.nowMs() + this.options.stateDelaySeconds * 1000) : null,
      createdAt: now,
      modifiedAt: now,
    };
    this.withinBounds(orgId, () => {
      this.orgs.ensure(orgId);
      this.store.insert(row);
    });
    return this.view(row);
  }

  /**
   * Partial update: only attributes present change; `settings` and `secrets` are replaced whole. New
   * secrets are checked again and set the state (an update with bad secrets succeeds, state `invalid`).
   */
  update(orgId: string, id: string, attrs: UpdateAttributes): IntegrationConfig {
    const current = this.find(orgId, id);
    if (attrs.integration_type !== undefined && attrs.integration_type !== current.integrationType) {
      throw new InvalidInput('Invalid request', [
        `Field 'data.attributes.integration_type' is invalid: the integration type of an existing configuration cannot be changed (it is ${current.integrationType})`,
      ]);
    }
    const secrets = secretsOf(attrs);
    const next: IntegrationConfigRow = {
      ...current,
      name: attrs.name ?? current.name,
      domain: attrs.domain ?? current.domain,
      enabled: attrs.enabled ?? current.enabled,
      settings: attrs.settings ?? current.settings,
      secrets: secrets ?? current.secrets,
      modifiedAt: this.clock.isoNow(),
    };
    if (secrets !== undefined) next.state = this.credentials.check(orgId, current.integrationType, secrets);
    // Only new settings or secrets can grow the org (the bound's bytes); a rename or a toggle writes alone.
    if (attrs.settings === undefined && secrets === undefined) this.store.update(next);
    else this.withinBounds(orgId, () => this.store.update(next));
    return this.view(next);
  }

  remove(orgId: string, id: string): void {
    if (!this.store.remove(orgId, id)) throw notFound(id);
  }

  /** Credentials checked before a create; nothing is stored either way. */
  validateCredentials(orgId: string, attrs: CredentialsAttributes): void {
    this.requireValidCredentials(orgId, attrs.integration_type, secretsOf(attrs));
  }

  /** Re-checks the stored credentials and records the outcome in `state`; invalid ones answer 400. */
  validateStored(orgId: string, id: string): void {
    const current = this.find(orgId, id);
    const outcome = this.credentials.check(orgId, current.integrationType, current.secrets);
    if (outcome !== current.state) this.store.update({ ...current, state: outcome });
    if (outcome === 'invalid') {
      throw new InvalidArgument(`The credentials stored on integration config ${shown(id)} were rejected by the ${current.integrationType} source`);
    }
  }

  /**
   * Turns on the source named by a lower-case path segment (`entra_id`), for sources that need no
   * credentials from the user. Idempotent: the org's config of that type is returned, enabled first if it
   * was not (the overrides apply only to a config created here).
   */
  activate(orgId: string, pathType: string, overrides: ActivateAttributes): IntegrationConfig {
    const integrationType = typeFromPath(pathType);
    if (!takesNoSecrets(integrationType)) {
      throw new InvalidArgument(
        `Integration type '${shown(pathType)}' cannot be activated: it needs credentials, so create it with POST /api/v2/security_monitoring/configuration/integration_config`,
      );
    }
    const existing = this.primaryOfType(orgId, integrationType);
    if (!existing) {
      // The attributes of a type that takes no secrets (its create branch in the revision's schema).
      return this.create(orgId, {
        integration_type: integrationType,
        domain: overrides.domain ?? ACTIVATE_DEFAULTS.domain,
        name: overrides.name ?? ACTIVATE_DEFAULTS.name,
        ...(overrides.settings !== undefined && { settings: overrides.settings }),
      } as CreateAttributes);
    }
    if (existing.enabled) return this.view(existing);
    const enabled: IntegrationConfigRow = { ...existing, enabled: true, modifiedAt: this.clock.isoNow() };
    this.store.update(enabled);
    return this.view(enabled);
  }

  /** Disables every enabled config of the type and returns the first; 404 when none is enabled. */
  deactivate(orgId: string, pathType: string): IntegrationConfig {
    const integrationType = typeFromPath(pathType);
    const modifiedAt = this.clock.isoNow();
    const disabled = this.store.list(orgId, integrationType)
      .filter((row) => row.enabled)
      .map((row): IntegrationConfigRow => ({ ...row, enabled: false, modifiedAt }));
    if (disabled.length === 0) {
      throw new ResourceNotFound(`No active integration config of type ${integrationType}`);
    }
    this.store.transaction(() => disabled.forEach((row) => this.store.update(row)));
    return this.view(disabled[0]);
  }

  entraIdPrerequisites(orgId: string): EntraIdPrerequisites {
    const registrations = this.registrations.list(orgId);
    const config = this.primaryOfType(orgId, 'ENTRA_ID');
    return {
      orgId,
      registrations,
      hasValidPrerequisite: registrations.some((r) => r.resourceCollectionEnabled),
      ...(config && { integration: this.view(config) }),
    };
  }

  /** Back to the seed: every org, or one (a seed org gets its seed again at once, any other is gone). */
  reset(orgId?: string): void {
    this.store.transaction(() => {
      if (orgId === undefined) this.store.removeAllOrgs();
      else this.store.removeOrg(orgId);
      this.orgs.forget(orgId);
      this.seedAll(orgId);
    });
  }

  /** Every org's state (the seed's orgs included), or one org's (empty when the store holds none), for the export. */
  snapshot(orgId?: string): OrgSnapshot[] {
    return (orgId === undefined ? this.store.orgIds() : [orgId]).map((id) => ({
      orgId: id,
      createdAt: this.store.orgCreatedAt(id),
      configs: this.store.list(id).map((row) => ({
        ...this.view(row), hasSecrets: row.secrets !== null, ...(row.readyAt !== null && { readyAt: row.readyAt }),
      })),
      azureAppRegistrations: this.registrations.list(id),
    }));
  }

  /** How many orgs the store holds, and configs and Azure app registrations in all (counted, nothing read). */
  counts(): { orgs: number; configs: number; azureAppRegistrations: number } {
    return { ...this.store.counts(), azureAppRegistrations: this.registrations.count() };
  }

  /**
   * Writes the given orgs in one transaction. `replace`: each org holds exactly these configs afterwards;
   * `merge`: configs are added to or overwrite (by id) what the org holds, its seed included. A config
   * without `secrets` keeps those stored under its id, if any. Azure app registrations, when given, become
   * exactly those; when not, the org keeps its own (its seed's, for a new org). Other orgs are not touched.
   * An org that would pass a bound (ORG_BOUNDS) afterwards is a problem naming it, and nothing is written.
   */
  importOrgs(orgs: ImportedOrg[], mode: 'replace' | 'merge'): void {
    const now = this.clock.isoNow();
    try {
      this.store.transaction(() => {
        for (const { orgId, createdAt, configs, azureAppRegistrations } of orgs) {
          const registeredAt = createdAt === undefined ? now : toRfc3339(Date.parse(createdAt));
          this.seedOrg(orgId, registeredAt);
          // Only what this org's part needs is read and written again: a document of 10,000 orgs with nothing
          // in them (the member limit) was 50,000 statements, 300 ms in one turn of the event loop.
          const before = configs.length === 0 ? new Map<string, IntegrationConfigRow>() : new Map(this.store.list(orgId).map((row) => [row.id, row]));
          // A replace drops the org's registrations with the org (cascade); a merge keeps them unless given.
          const registrations = azureAppRegistrations ?? (mode === 'replace' ? this.registrations.list(orgId) : undefined);
          if (mode === 'replace') {
            this.store.removeOrg(orgId);
            this.store.addOrg(orgId, registeredAt);
          }
          if (registrations !== undefined) this.registrations.replace(orgId, registrations);
          for (const c of configs) {
            const row = rowFrom(orgId, c, now, before.get(c.id)?.secrets ?? null);
            if (mode === 'merge' && before.has(c.id)) this.store.update(row);
            else this.store.insert(row);
          }
          // Adding nothing passes no bound.
          const passed = configs.length === 0 ? undefined : orgBoundPassed(this.store.usage(orgId));
          if (passed !== undefined) throw new InvalidInput(`Org ${shown(orgId)} cannot be imported: ${passed}`);
        }
      });
    } finally {
      // Whatever happened, the cache must not claim an org the store may not hold: the next request
      // looks again (and finds it registered, so the seed is not copied over the import).
      for (const { orgId } of orgs) this.orgs.forget(orgId);
    }
  }

  /**
   * Runs a write to the org in one transaction and undoes it if the org would then pass a bound (ORG_BOUNDS):
   * one rule for every write that adds or grows a config, measured by the store after the write.
   */
  private withinBounds(orgId: string, write: () => void): void {
    try {
      this.store.transaction(() => {
        write();
        const passed = orgBoundPassed(this.store.usage(orgId));
        if (passed !== undefined) throw new InvalidArgument(`The integration config cannot be stored: ${passed}`);
      });
    } catch (err) {
      // The org's registration may have been undone with the write: the cache must not claim it.
      this.orgs.forget(orgId);
      throw err;
    }
  }

  /** The seed data's orgs (or one of them), registered with their seed if the store does not hold them. */
  private seedAll(only?: string): void {
    this.orgs.ensureAll(this.seedOrgs.map((org) => org.org_id).filter((id) => only === undefined || id === only));
  }

  /**
   * Registers the org and copies its seed configs, if it was not registered yet. A new org holds no
   * registrations (they go with the org), so only a seed's are written.
   */
  private seedOrg(orgId: string, now: string): void {
    if (!this.store.addOrg(orgId, now)) return;
    const seed = this.seedOrgs.find((o) => o.org_id === orgId);
    if (seed?.azure_app_registrations?.length) this.registrations.replace(orgId, seed.azure_app_registrations.map(registrationRow));
    for (const c of seed?.integration_configs ?? []) this.store.insert(rowFrom(orgId, c, now, null));
  }

  private find(orgId: string, id: string): IntegrationConfigRow {
    const row = this.store.get(orgId, id);
    if (!row) throw notFound(id);
    return row;
  }

  /** The org's config of a type that activate and the Entra ID prerequisites speak of: the first enabled one, else the first. */
  private primaryOfType(orgId: string, integrationType: IntegrationType): IntegrationConfigRow | undefined {
    const rows = this.store.list(orgId, integrationType);
    return rows.find((row) => row.enabled) ?? rows[0];
  }

  private requireValidCredentials(orgId: string, integrationType: string, secrets: Record<string, unknown> | undefined): void {
    if (this.credentials.check(orgId, integrationType, secrets) === 'invalid') {
      throw new InvalidArgument(`The ${integrationType} source rejected the credentials in 'data.attributes.secrets'`);
    }
  }

  private view(row: IntegrationConfigRowWithoutSecrets): IntegrationConfig {
    const initializing = row.state === 'valid' && row.readyAt !== null && Date.parse(row.readyAt) > this.clock.nowMs();
    return {
      id: row.id,
      // Every type stored passed a schema that allows only these (a request body, the seed, a state document).
      integrationType: row.integrationType as IntegrationType,
      ...(row.name !== null && { name: row.name }),
      domain: row.domain,
      enabled: row.enabled,
      ...(row.settings !== null && { settings: row.settings }),
      state: initializing ? 'initializing' : row.state,
      createdAt: row.createdAt,
      modifiedAt: row.modifiedAt,
    };
  }
}

/** A config from the seed data or a state document as a row; `secrets` absent means `keptSecrets` (none on a fresh server). */
function rowFrom(orgId: string, c: ImportedIntegrationConfig, now: string, keptSecrets: Record<string, unknown> | null): IntegrationConfigRow {
  const createdAt = c.created_at === undefined ? now : toRfc3339(Date.parse(c.created_at));
  return {
    id: c.id,
    orgId,
    integrationType: c.integration_type,
    name: c.name ?? null,
    domain: c.domain,
    enabled: c.enabled ?? true,
    settings: c.settings ?? null,
    secrets: c.secrets ?? keptSecrets,
    state: c.state === 'invalid' ? 'invalid' : 'valid',
    readyAt: c.ready_at === undefined ? null : toRfc3339(Date.parse(c.ready_at)),
    createdAt,
    modifiedAt: c.modified_at === undefined ? createdAt : toRfc3339(Date.parse(c.modified_at)),
  };
}

/** An Azure app registration as the seed data and state documents write it, as a row. */
export const registrationRow = (r: SeedAzureAppRegistration): AzureAppRegistrationRow => ({
  clientId: r.client_id,
  tenantId: r.tenant_id,
  errorCount: r.error_count,
  resourceCollectionEnabled: r.resource_collection_enabled,
  subscriptionCount: r.subscription_count,
});

/** A row as the seed data and state documents write it (and the API lists it). */
export const registrationWire = (r: AzureAppRegistrationRow): SeedAzureAppRegistration => ({
  client_id: r.clientId,
  error_count: r.errorCount,
  resource_collection_enabled: r.resourceCollectionEnabled,
  subscription_count: r.subscriptionCount,
  tenant_id: r.tenantId,
});

const notFound = (id: string): ResourceNotFound => new ResourceNotFound(`Integration config with ID ${shown(id)} not found`);

function typeFromPath(pathType: string): IntegrationType {
  const integrationType = integrationTypeFromPath(pathType);
  if (!integrationType) {
    const known = INTEGRATION_TYPES.map((t) => t.toLowerCase()).join(', ');
    throw new ResourceNotFound(`Unknown integration type '${shown(pathType)}'; the path takes one of: ${known}`);
  }
  return integrationType;
}
