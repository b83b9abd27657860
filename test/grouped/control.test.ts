// test/control/*.test.ts in one process (run-folders.ts says why).
import { runFolders } from './run-folders';

runFolders('control');
