// Every test process's setup (.taprc: node-arg --import), before the test file loads.
//
// 1. TypeScript: scripts/register-ts.mjs (it says how and why).
//
// 2. The processes a test starts (the CLI, npm): tap's process-info hook follows each one and records every
// module it loads, for coverage and `tap --changed`, neither used here: about 0.5 s of CPU per CLI started.
// It copies its settings from this process's environment, and a pattern that matches every file records
// none. (tap sets the test process's own before this file runs.)
import '../scripts/register-ts.mjs';

process.env._TAPJS_PROCESSINFO_EXCLUDE_ = '/./';
