// test/datadog/*.test.ts in one process (run-folders.ts says why).
import { runFolders } from './run-folders';

runFolders('datadog');
