// test/sdk, test/parity and test/drift in one process (run-folders.ts says why): the official clients
// load once (about 1.7 s of CPU for Datadog's) for the SDK tests and the drift readers.
import { runFolders } from './run-folders';

runFolders('sdk', 'parity', 'drift');
