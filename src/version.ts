import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from './platform/paths';

/** package.json, read once: the version, and the Node lines syncmock supports (`engines`, src/node-support.ts). */
export const packageJson = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
  version: string;
  engines: { node: string };
};

export const version: string = packageJson.version;
