/**
 * @module graph/module-resolution
 * Maps an import as written (`./x`, `..pkg.mod`, `crate::a::b`, `github.com/x/y`, `a.b`) to the files of the
 * workspace that define that module, per language. Pure: works on the set of indexed paths and the
 * {@link ProjectConfig}. An import that leads outside the workspace resolves to no file (it is external).
 */
import type { ProjectConfig } from './project-config.js';

/** The files a module specifier stands for, and the item path left over (Rust `use a::b::Item`). */
export interface ModuleTarget {
  files: string[];
  /** Segments after the module part that name items inside it. */
  rest: string[];
}

const TS_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const JS_EXTENSION = /\.(m|c)?jsx?$/;

/** Joins and normalises a POSIX path (no leading `./`, `..` resolved). Returns undefined above the root. */
export function joinPath(...parts: string[]): string | undefined {
  const out: string[] = [];
  for (const part of parts.join('/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

export function dirnameOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Resolves module specifiers for one workspace. */
export class ModuleResolver {
  readonly #files: ReadonlySet<string>;
  readonly #config: ProjectConfig;
  readonly #byDir = new Map<string, string[]>();
  readonly #byPackage = new Map<string, string[]>();
  readonly #cache = new Map<string, ModuleTarget>();

  constructor(
    files: Iterable<{ path: string; packageName?: string; language: string }>,
    config: ProjectConfig,
  ) {
    const paths = new Set<string>();
    for (const file of files) {
      paths.add(file.path);
      const dir = dirnameOf(file.path);
      const list = this.#byDir.get(dir) ?? [];
      list.push(file.path);
      this.#byDir.set(dir, list);
      if (file.packageName) {
        const key = `${file.language}:${file.packageName}`;
        const pkg = this.#byPackage.get(key) ?? [];
        pkg.push(file.path);
        this.#byPackage.set(key, pkg);
      }
    }
    this.#files = paths;
    this.#config = config;
  }

  /** Files in the same folder (Go packages). */
  filesInDir(dir: string): string[] {
    return this.#byDir.get(dir) ?? [];
  }

  /** Files that declare a package or namespace (Java, C#, PHP, Go). */
  filesInPackage(language: string, packageName: string): string[] {
    return this.#byPackage.get(`${language}:${packageName}`) ?? [];
  }

  resolve(fromPath: string, language: string, source: string): ModuleTarget {
    const key = `${language}\u0000${dirnameOf(fromPath)}\u0000${source}${language === 'rust' || language === 'python' ? `\u0000${fromPath}` : ''}`;
    let target = this.#cache.get(key);
    if (!target) {
      target = this.#resolveUncached(fromPath, language, source);
      this.#cache.set(key, target);
    }
    return target;
  }

  #resolveUncached(fromPath: string, language: string, source: string): ModuleTarget {
    switch (language) {
      case 'typescript':
      case 'tsx':
      case 'javascript':
        return { files: this.#resolveTs(fromPath, source), rest: [] };
      case 'python':
        return { files: this.#resolvePython(fromPath, source), rest: [] };
      case 'rust':
        return this.#resolveRust(fromPath, source);
      case 'go':
        return { files: this.#resolveGo(source), rest: [] };
      case 'java':
      case 'csharp':
      case 'php':
        return this.#resolvePackage(language, source);
      default:
        return { files: this.#resolveInclude(fromPath, source), rest: [] };
    }
  }

  #firstExisting(candidates: string[]): string[] {
    for (const candidate of candidates) if (this.#files.has(candidate)) return [candidate];
    return [];
  }

  #tsCandidates(base: string): string[] {
    const candidates = [base];
    const stripped = JS_EXTENSION.test(base) ? base.replace(JS_EXTENSION, '') : base;
    for (const ext of TS_EXTENSIONS) candidates.push(stripped + ext);
    for (const ext of TS_EXTENSIONS) candidates.push(`${base}/index${ext}`);
    return candidates;
  }

  #resolveTs(fromPath: string, source: string): string[] {
    if (source.startsWith('.') || source.startsWith('/')) {
      const base = joinPath(source.startsWith('/') ? '' : dirnameOf(fromPath), source);
      return base === undefined ? [] : this.#firstExisting(this.#tsCandidates(base));
    }
    // tsconfig paths and baseUrl of the nearest tsconfig above the file.
    const tsconfig = this.#config.tsconfigs
      .filter((t) => t.dir === '' || fromPath.startsWith(`${t.dir}/`))
      .sort((a, b) => b.dir.length - a.dir.length)[0];
    if (tsconfig) {
      const root = tsconfig.baseUrl ?? tsconfig.dir;
      for (const [pattern, targets] of Object.entries(tsconfig.paths)) {
        const star = pattern.indexOf('*');
        const matches =
          star < 0
            ? source === pattern
            : source.startsWith(pattern.slice(0, star)) && source.endsWith(pattern.slice(star + 1));
        if (!matches) continue;
        const captured = star < 0 ? '' : source.slice(star, source.length - (pattern.length - star - 1));
        for (const target of targets) {
          const base = joinPath(root, target.replace('*', captured));
          const found = base === undefined ? [] : this.#firstExisting(this.#tsCandidates(base));
          if (found.length > 0) return found;
        }
      }
      if (tsconfig.baseUrl !== undefined) {
        const base = joinPath(tsconfig.baseUrl, source);
        const found = base === undefined ? [] : this.#firstExisting(this.#tsCandidates(base));
        if (found.length > 0) return found;
      }
    }
    // Packages of this workspace (monorepos).
    for (const pkg of this.#config.packages) {
      if (source !== pkg.name && !source.startsWith(`${pkg.name}/`)) continue;
      const sub = source.slice(pkg.name.length + 1);
      const candidates: string[] = [];
      if (sub) {
        const base = joinPath(pkg.dir, sub);
        const baseSrc = joinPath(pkg.dir, 'src', sub);
        if (base !== undefined) candidates.push(...this.#tsCandidates(base));
        if (baseSrc !== undefined) candidates.push(...this.#tsCandidates(baseSrc));
      } else {
        if (pkg.entry) {
          const entry = joinPath(pkg.dir, pkg.entry);
          if (entry !== undefined) {
            candidates.push(...this.#tsCandidates(entry));
            const srcEntry = entry.replace(/^(.*?)(dist|lib|build|out)\//, '$1src/');
            candidates.push(...this.#tsCandidates(srcEntry));
          }
        }
        const srcIndex = joinPath(pkg.dir, 'src', 'index');
        const index = joinPath(pkg.dir, 'index');
        if (srcIndex !== undefined) candidates.push(...this.#tsCandidates(srcIndex));
        if (index !== undefined) candidates.push(...this.#tsCandidates(index));
      }
      const found = this.#firstExisting(candidates);
      if (found.length > 0) return found;
    }
    return [];
  }

  #resolvePython(fromPath: string, source: string): string[] {
    const dots = /^\.*/.exec(source)![0].length;
    const rest = source.slice(dots).split('.').filter(Boolean);
    const moduleCandidates = (base: string | undefined): string[] => {
      if (base === undefined) return [];
      const path = rest.length > 0 ? joinPath(base, ...rest) : base;
      if (path === undefined) return [];
      return rest.length > 0
        ? [`${path}.py`, `${path}.pyi`, joinPath(path, '__init__.py')!, joinPath(path, '__init__.pyi')!]
        : [joinPath(path, '__init__.py')!, joinPath(path, '__init__.pyi')!];
    };
    if (dots > 0) {
      let base: string | undefined = dirnameOf(fromPath);
      for (let i = 1; i < dots && base !== undefined; i++) base = base === '' ? undefined : dirnameOf(base);
      return this.#firstExisting(moduleCandidates(base));
    }
    const roots = new Set([...this.#config.pythonRoots, '']);
    // Scripts also import their siblings.
    roots.add(dirnameOf(fromPath));
    for (const root of roots) {
      const found = this.#firstExisting(moduleCandidates(root));
      if (found.length > 0) return found;
    }
    return [];
  }

  /** The folder holding a Rust file's child modules. */
  #rustModuleDir(file: string): string {
    const base = file.slice(file.lastIndexOf('/') + 1);
    if (base === 'mod.rs' || base === 'lib.rs' || base === 'main.rs') return dirnameOf(file);
    return file.replace(/\.rs$/, '');
  }

  #rustModuleFile(dir: string, name: string): string[] {
    const flat = joinPath(dir, `${name}.rs`);
    const nested = joinPath(dir, name, 'mod.rs');
    return this.#firstExisting([flat, nested].filter((p): p is string => p !== undefined));
  }

  #rustCrateRoot(file: string): string | undefined {
    const crate = this.#config.rustCrates
      .filter((c) => c.dir === '' || file.startsWith(`${c.dir}/`))
      .sort((a, b) => b.dir.length - a.dir.length)[0];
    const roots = crate ? crate.roots : ['src/lib.rs', 'src/main.rs'];
    return roots.find((root) => this.#files.has(root));
  }

  #resolveRust(fromPath: string, source: string): ModuleTarget {
    const segments = source.split('::').filter(Boolean);
    if (segments.length === 0) return { files: [], rest: [] };
    let current: string | undefined;
    let index = 0;
    const head = segments[0]!;
    if (head === 'crate') {
      current = this.#rustCrateRoot(fromPath);
      index = 1;
    } else if (head === 'self') {
      current = fromPath;
      index = 1;
    } else if (head === 'super') {
      current = fromPath;
      while (segments[index] === 'super' && current) {
        current = this.#rustParentModule(current);
        index++;
      }
    } else {
      // A child module of the current one, or else a module at the crate root; otherwise another crate.
      const child = this.#rustModuleFile(this.#rustModuleDir(fromPath), head);
      if (child.length > 0) current = fromPath;
      else {
        const root = this.#rustCrateRoot(fromPath);
        if (root && this.#rustModuleFile(this.#rustModuleDir(root), head).length > 0) current = root;
        else {
          const crate = this.#config.rustCrates.find((c) => c.name.replace(/-/g, '_') === head);
          current = crate ? crate.roots.find((r) => this.#files.has(r)) : undefined;
          index = crate ? 1 : 0;
          if (!current) return { files: [], rest: [] };
        }
      }
    }
    if (!current) return { files: [], rest: [] };
    while (index < segments.length) {
      const next = this.#rustModuleFile(this.#rustModuleDir(current), segments[index]!);
      if (next.length === 0) break;
      current = next[0]!;
      index++;
    }
    return { files: [current], rest: segments.slice(index) };
  }

  #rustParentModule(file: string): string | undefined {
    const base = file.slice(file.lastIndexOf('/') + 1);
    const dir = dirnameOf(file);
    const parentDir = base === 'mod.rs' ? dirnameOf(dir) : dir;
    const candidates = [
      joinPath(parentDir, 'mod.rs'),
      joinPath(parentDir, 'lib.rs'),
      joinPath(parentDir, 'main.rs'),
      `${parentDir}.rs`,
    ];
    return this.#firstExisting(candidates.filter((c): c is string => c !== undefined))[0];
  }

  #resolveGo(source: string): string[] {
    for (const mod of this.#config.goModules) {
      if (source !== mod.module && !source.startsWith(`${mod.module}/`)) continue;
      const dir = joinPath(mod.dir, source.slice(mod.module.length + 1));
      if (dir === undefined) continue;
      return this.filesInDir(dir).filter((p) => p.endsWith('.go') && !p.endsWith('_test.go'));
    }
    return [];
  }

  #resolvePackage(language: string, source: string): ModuleTarget {
    const separator = language === 'php' ? '\\' : '.';
    const clean = source.replace(/^\\/, '');
    const files = this.filesInPackage(language, clean);
    if (files.length > 0) return { files, rest: [] };
    // `a.b.C` names a class C of package a.b (static imports, nested classes).
    const cut = clean.lastIndexOf(separator);
    if (cut > 0) {
      const parent = this.filesInPackage(language, clean.slice(0, cut));
      if (parent.length > 0) return { files: parent, rest: [clean.slice(cut + 1)] };
    }
    return { files: [], rest: [] };
  }

  #resolveInclude(fromPath: string, source: string): string[] {
    const relative = joinPath(dirnameOf(fromPath), source);
    const candidates = [relative, `${relative ?? ''}.rb`, `${relative ?? ''}.php`].filter(
      (c): c is string => c !== undefined,
    );
    const found = this.#firstExisting(candidates);
    if (found.length > 0) return found;
    // Include paths are unknown: fall back to a unique file whose path ends with the specifier.
    const suffix = `/${source.replace(/^\.\//, '')}`;
    const matches: string[] = [];
    for (const path of this.#files) {
      if (path === source || path.endsWith(suffix) || path.endsWith(`${suffix}.rb`)) matches.push(path);
      if (matches.length > 1) return [];
    }
    return matches;
  }
}
