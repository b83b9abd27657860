// test/platform, sailpoint, store and docs *.test.ts in one process (run-folders.ts says why).
import { runFolders } from './run-folders';

runFolders('platform', 'sailpoint', 'store', 'docs');
