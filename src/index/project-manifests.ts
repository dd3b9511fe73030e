/**
 * @module index/project-manifests
 * Reads the manifests that module resolution needs (tsconfig.json / jsconfig.json, package.json, go.mod,
 * Cargo.toml, pyproject.toml / setup.py) from the folders that hold source files, into a ProjectConfig.
 * A manifest that cannot be parsed is reported and ignored.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../base/index.js';
import { emptyProjectConfig } from '../graph/index.js';
import type { ProjectConfig, TsConfigInfo } from '../graph/index.js';

/** The manifests looked for in every folder. */
export const MANIFEST_NAMES: readonly string[] = [
  'tsconfig.json',
  'jsconfig.json',
  'package.json',
  'go.mod',
  'Cargo.toml',
  'pyproject.toml',
  'setup.py',
  'setup.cfg',
];

/** Reads the manifests in `root` and in every folder above a source file. */
export async function readProjectConfig(
  root: string,
  sourcePaths: readonly string[],
): Promise<{ config: ProjectConfig; diagnostics: Diagnostic[] }> {
  const config = emptyProjectConfig();
  const diagnostics: Diagnostic[] = [];
  const dirs = new Set<string>(['']);
  for (const path of sourcePaths) {
    let dir = path;
    while (dir.includes('/')) {
      dir = dir.slice(0, dir.lastIndexOf('/'));
      if (dirs.has(dir)) break;
      dirs.add(dir);
    }
  }
  const sortedDirs = [...dirs].sort();
  // Every candidate manifest is read at once (most do not exist: the reads overlap instead of queueing one
  // after the other); the loop below then consumes them in folder order.
  const cache = new Map<string, Promise<string | undefined>>();
  const read = (dir: string, name: string): Promise<string | undefined> => {
    const path = join(root, dir, name);
    let text = cache.get(path);
    if (!text) {
      text = readFile(path, 'utf8').catch(() => undefined);
      cache.set(path, text);
    }
    return text;
  };
  for (const dir of sortedDirs) for (const name of MANIFEST_NAMES) void read(dir, name);
  for (const dir of sortedDirs) {
    const prefix = dir ? `${dir}/` : '';
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const info = await readTsConfig(read, dir, name, diagnostics, 0);
      if (info) {
        config.tsconfigs.push(info);
        break;
      }
    }
    const pkgText = await read(dir, 'package.json');
    if (pkgText) {
      const pkg = parseJsonc(pkgText);
      if (pkg && typeof pkg.name === 'string') {
        const entry =
          typeof pkg.module === 'string'
            ? pkg.module
            : typeof pkg.main === 'string'
              ? pkg.main
              : typeof pkg.types === 'string'
                ? pkg.types
                : undefined;
        config.packages.push({ name: pkg.name, dir, ...(entry ? { entry } : {}) });
      } else if (!pkg) {
        diagnostics.push({
          severity: 'warning',
          code: 'INDEX_BAD_MANIFEST',
          message: 'Cannot parse package.json',
          path: `${prefix}package.json`,
        });
      }
    }
    const goMod = await read(dir, 'go.mod');
    const goModule = goMod ? /^module\s+(\S+)/m.exec(goMod)?.[1] : undefined;
    if (goModule) config.goModules.push({ dir, module: goModule });
    const cargo = await read(dir, 'Cargo.toml');
    if (cargo) {
      const name =
        /^\[package\][^[]*?^name\s*=\s*"([^"]+)"/ms.exec(cargo)?.[1] ?? dir.slice(dir.lastIndexOf('/') + 1);
      config.rustCrates.push({ dir, name, roots: [`${prefix}src/lib.rs`, `${prefix}src/main.rs`] });
    }
    if (
      (await read(dir, 'pyproject.toml')) !== undefined ||
      (await read(dir, 'setup.py')) !== undefined ||
      (await read(dir, 'setup.cfg')) !== undefined
    ) {
      config.pythonRoots.push(dir);
      if (sourcePaths.some((p) => p.startsWith(`${prefix}src/`))) config.pythonRoots.push(`${prefix}src`);
    }
  }
  config.pythonRoots = [...new Set(config.pythonRoots)];
  return { config, diagnostics };
}

async function readTsConfig(
  read: (dir: string, name: string) => Promise<string | undefined>,
  dir: string,
  name: string,
  diagnostics: Diagnostic[],
  depth: number,
): Promise<TsConfigInfo | undefined> {
  const text = await read(dir, name);
  if (text === undefined) return undefined;
  const json = parseJsonc(text);
  if (!json) {
    diagnostics.push({
      severity: 'warning',
      code: 'INDEX_BAD_MANIFEST',
      message: `Cannot parse ${name}`,
      path: dir ? `${dir}/${name}` : name,
    });
    return { dir, paths: {} };
  }
  const options = (json.compilerOptions ?? {}) as { baseUrl?: unknown; paths?: unknown };
  let info: TsConfigInfo = { dir, paths: {} };
  // `extends` of a relative file: its baseUrl and paths apply unless overridden.
  if (typeof json.extends === 'string' && json.extends.startsWith('.') && depth < 5) {
    const target = joinPosix(dir, json.extends);
    const slash = target.lastIndexOf('/');
    const parent = await readTsConfig(
      read,
      slash < 0 ? '' : target.slice(0, slash),
      target.slice(slash + 1).endsWith('.json') ? target.slice(slash + 1) : `${target.slice(slash + 1)}.json`,
      diagnostics,
      depth + 1,
    );
    if (parent)
      info = {
        dir,
        paths: parent.paths,
        ...(parent.baseUrl !== undefined ? { baseUrl: parent.baseUrl } : {}),
      };
  }
  if (typeof options.baseUrl === 'string') info.baseUrl = joinPosix(dir, options.baseUrl);
  if (options.paths && typeof options.paths === 'object') {
    const paths: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(options.paths as Record<string, unknown>)) {
      if (Array.isArray(value)) paths[key] = value.filter((v): v is string => typeof v === 'string');
    }
    info.paths = paths;
    // Without baseUrl, paths are relative to the tsconfig's folder.
    info.baseUrl ??= dir;
  }
  return info;
}

/** Parses JSON with comments and trailing commas (tsconfig style). Returns undefined when it cannot. */
export function parseJsonc(text: string): Record<string, unknown> | undefined {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      i += 2;
      while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) i++;
      i++;
    } else out += c;
  }
  try {
    const value: unknown = JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function joinPosix(dir: string, relativePath: string): string {
  const parts: string[] = dir ? dir.split('/') : [];
  for (const part of relativePath.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}
