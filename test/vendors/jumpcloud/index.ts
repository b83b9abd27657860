// A third vendor, in the test tree only: JumpCloud's user groups (API v2), as small as a vendor gets (one
// resource, one table, one rate-limit group), to prove the contract (src/platform/vendor.ts): the test
// (test/platform/third-vendor.test.ts) serves it beside the registry's vendors and nothing outside this
// folder names it, but for its schemas (schemas/jumpcloud/, where every vendor's schemas live).
import type { VendorContract } from '../../../src/platform/vendor';
import { ownsPath } from '../../../src/platform/vendor-scope';
import type { JumpcloudState } from '../../../src/generated/schema-types';
import { jumpcloudErrorResponse } from './errors';
import { ApiKeys, UserGroupModel } from './model';
import { JUMPCLOUD_RATE_LIMIT_GROUP, USER_GROUPS_PREFIX, jumpcloudNoRoute, jumpcloudRoutes, jumpcloudScopeOf } from './routes';
import { jumpcloudSeedProblems, type JumpcloudSeed } from './seed';
import { jumpcloudState } from './state';
import { JUMPCLOUD_MIGRATIONS } from './store/migrations';
import { UserGroupStore } from './store/user-groups';

export const jumpcloud: VendorContract<JumpcloudState, 'jumpcloud'> = {
  name: 'jumpcloud',
  scope: { name: 'organization', collection: 'organizations' },
  rateLimitGroups: [JUMPCLOUD_RATE_LIMIT_GROUP],
  prefixes: [USER_GROUPS_PREFIX],
  credentials: { headers: ['x-api-key'], fields: [] },
  cors: { allowedHeaders: ['x-api-key'], exposedHeaders: ['Retry-After'] },
  seedSchema: 'jumpcloud/seed.json',
  seedProblems: (seed) => jumpcloudSeedProblems(seed as JumpcloudSeed),
  stateSchema: 'jumpcloud/state.json',
  migrations: JUMPCLOUD_MIGRATIONS,
  errorResponse: jumpcloudErrorResponse,
  create({ db, rateLimits, seed }) {
    const jumpcloudSeed = seed as JumpcloudSeed;
    const model = new UserGroupModel(new UserGroupStore(db), jumpcloudSeed);
    const keys = new ApiKeys(jumpcloudSeed);
    return {
      routes: (app) => jumpcloudRoutes(app, { vendorName: jumpcloud.name, model, keys, rateLimits }),
      scopeOf: jumpcloudScopeOf,
      noRoute: jumpcloudNoRoute,
      state: jumpcloudState(model),
      // JumpCloud documents no figure; a minute's window like most APIs.
      rateLimits: { [JUMPCLOUD_RATE_LIMIT_GROUP]: { limit: 600, periodSeconds: 60 } },
      sizes: () => ({}),
      documents: [{
        path: '/openapi/jumpcloud.json',
        title: 'JumpCloud user groups (syncmock)',
        description: 'JumpCloud API v2 user groups as emulated by syncmock: an x-api-key of the seed acts for its organization.',
        includes: (route) => ownsPath(jumpcloud, route.url),
        securitySchemes: () => ({ x_api_key: { type: 'apiKey', in: 'header', name: 'x-api-key' } }),
        security: [{ x_api_key: [] }],
      }],
    };
  },
  connection(seed, baseUrl) {
    return { baseUrl, apiKey: (seed as JumpcloudSeed).organizations[0]?.api_keys[0] };
  },
};
