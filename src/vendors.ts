// The emulated vendors. Adding one is a folder exporting its contract (src/platform/vendor.ts) and a line here.
import { datadog } from './datadog';
import type { VendorContract } from './platform/vendor';
import { sailpoint } from './sailpoint';

export const VENDORS: readonly VendorContract[] = [datadog, sailpoint];
