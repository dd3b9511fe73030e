/**
 * @module interfaces/http/build-info
 * What `/info` says about the build: the package's name and version (its package.json, found from this
 * module both in `src/` and in `dist/`) and the git commit of the checkout the package runs from, if any.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BuildInfo {
  name: string;
  version: string;
  /** The git commit of the package's checkout, or null (an installed package). */
  commit: string | null;
}

/** The package root: three folders up from `src/interfaces/http/` and from `dist/interfaces/http/`. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let cached: BuildInfo | undefined;

/** The build info (read once). */
export function buildInfo(): BuildInfo {
  if (cached) return cached;
  let name = 'real-time-context';
  let version = '0.0.0';
  try {
    const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
      name?: string;
      version?: string;
    };
    name = manifest.name ?? name;
    version = manifest.version ?? version;
  } catch {
    // No manifest: the defaults stand.
  }
  cached = { name, version, commit: gitCommit(join(PACKAGE_ROOT, '.git')) };
  return cached;
}

/** The commit HEAD names in a git folder (a branch through its ref or packed-refs, or a detached HEAD). */
function gitCommit(gitDir: string): string | null {
  try {
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40,64}$/.test(head)) return head;
    const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1];
    if (!ref || ref.includes('..')) return null;
    try {
      return readFileSync(join(gitDir, ref), 'utf8').trim();
    } catch {
      const packed = readFileSync(join(gitDir, 'packed-refs'), 'utf8');
      for (const line of packed.split('\n')) {
        const [hash, name] = line.split(' ');
        if (name === ref && hash) return hash;
      }
    }
  } catch {
    // Not a git checkout.
  }
  return null;
}
