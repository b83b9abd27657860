// The emulated vendors. A vendor's code is a folder exporting its contract (src/platform/vendor.ts) and a line
// here; what else it adds (schemas, seed part, settings, dashboard panel) is in CONTRIBUTING, Adding a third vendor.
import { datadog } from './datadog';
import type { VendorContract } from './platform/vendor';
import { sailpoint } from './sailpoint';

export const VENDORS: readonly VendorContract[] = [datadog, sailpoint];
