/** Every file below a folder, recursively (tests that pick files out of generated log trees). */
import { readdirSync } from 'node:fs';
import path from 'node:path';

export function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}
