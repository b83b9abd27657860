// The command line's first import. Modules run their imports in order (CommonJS and ES modules alike), so an
// unsupported Node is refused with one line, exit code 2, before any module that may need a newer one loads.
import { unsupportedNode } from './node-support';

const problem = unsupportedNode();
if (problem !== undefined) {
  process.stderr.write(`syncmock: ${problem}\n`);
  process.exit(2);
}
