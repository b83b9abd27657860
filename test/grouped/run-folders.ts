// Runs every test file of some folders in this one process. Each test process costs about 1.5 s of CPU
// before its first test (tap, the TypeScript loader, Fastify and the rest loading) and most files here start
// an in-process server in well under that, so 48 processes were a third of `npm test`'s CPU. The files stay
// as they are and still run alone (`npx tap test/control/faults.test.ts`); their tests run one after another,
// as in their own process. .taprc leaves these folders out of the default set, and every *.test.ts file in
// them is found here, so a new one runs too.
import fs from 'node:fs';
import path from 'node:path';

export function runFolders(...folders: string[]): void {
  for (const folder of folders) {
    const dir = path.join(__dirname, '..', folder);
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort()) require(path.join(dir, file));
  }
}
