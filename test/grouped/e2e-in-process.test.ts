// test/e2e/in-process/*.test.ts in one process (run-folders.ts says why): hostile and malformed requests
// against servers each file starts in this process. The e2e tests that spawn the CLI, bind many sockets
// or wait on timeouts stay in test/e2e, a process each.
import { runFolders } from './run-folders';

runFolders('e2e/in-process');
