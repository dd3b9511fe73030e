/**
 * @module graph/project-config
 * What the resolver needs to know of a repository's manifests, as plain data. The index layer reads the
 * files (tsconfig.json, package.json, go.mod, Cargo.toml, pyproject.toml); the graph layer only uses the data.
 */

export interface TsConfigInfo {
  /** Repository-relative folder of the tsconfig/jsconfig file ('' for the root). */
  dir: string;
  /** Repository-relative `baseUrl`, when set. */
  baseUrl?: string;
  /** `paths` patterns → targets, relative to `baseUrl` (or to `dir` when there is none). */
  paths: Record<string, string[]>;
}

export interface ProjectConfig {
  tsconfigs: TsConfigInfo[];
  /** npm packages of the workspace: name → folder, with the entry file when package.json names one. */
  packages: { name: string; dir: string; entry?: string }[];
  /** Go modules: folder of go.mod and its module path. */
  goModules: { dir: string; module: string }[];
  /** Rust crates: folder of Cargo.toml, crate name, and its root files (src/lib.rs, src/main.rs). */
  rustCrates: { dir: string; name: string; roots: string[] }[];
  /** Python source roots ('' is the repository root; `src` layouts add `src`). */
  pythonRoots: string[];
}

/** A configuration with no manifests: relative imports still resolve. */
export function emptyProjectConfig(): ProjectConfig {
  return { tsconfigs: [], packages: [], goModules: [], rustCrates: [], pythonRoots: [''] };
}
