import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import type { BoundaryRules, Unit } from './boundaries.rules';

export interface Violation {
  /** Repository-relative path; a package.json for unused declarations. */
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

interface PackageJson {
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly scripts?: Record<string, string>;
  readonly bin?: string | Record<string, string>;
  readonly name?: string;
}

const skippedDirs = new Set(['node_modules', 'dist', 'target', '.git', '.data', '.tmp', 'coverage']);
const sourceFile = /\.(ts|tsx|mts|cts)$/;
const builtins = new Set(builtinModules);

/** Test code: `*.test.ts`, and anything under a `test/` or `e2e/` folder. */
export const isTestFile = (file: string): boolean =>
  /\.test\.tsx?$/.test(file) || file.split('/').some((part) => part === 'test' || part === 'e2e');

/** `@scope/name/deep/path` → `@scope/name`; `name/deep` → `name`. */
export const packageNameOf = (specifier: string): string => {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
};

const listSourceFiles = (root: string, dir = ''): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return skippedDirs.has(entry.name) ? [] : listSourceFiles(root, path);
    return sourceFile.test(entry.name) ? [path] : [];
  });

const unitOf = (units: readonly Unit[], file: string): Unit | undefined =>
  units
    .filter((unit) => unit.dir === '.' || file === unit.dir || file.startsWith(`${unit.dir}/`))
    .sort((a, b) => b.dir.length - a.dir.length)[0];

const readPackageJson = (path: string): PackageJson | undefined =>
  existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as PackageJson) : undefined;

const declaredIn = (pkg: PackageJson | undefined): Set<string> =>
  new Set([pkg?.dependencies, pkg?.devDependencies, pkg?.peerDependencies].flatMap((deps) => Object.keys(deps ?? {})));

/** A dependency's own package.json, as installed for the package in `packageDir`. */
const installedManifest = (root: string, packageDir: string, name: string): PackageJson | undefined =>
  [join(root, packageDir, 'node_modules', name), join(root, 'node_modules', name)]
    .map((dir) => readPackageJson(join(dir, 'package.json')))
    .find((found) => found !== undefined);

/** The command names a package installs. */
const binsOf = (root: string, packageDir: string, name: string): string[] => {
  const manifest = installedManifest(root, packageDir, name);
  if (!manifest?.bin) return [];
  return typeof manifest.bin === 'string' ? [packageNameOf(name).split('/').pop() ?? name] : Object.keys(manifest.bin);
};

/**
 * Checks every TypeScript file under `root` against the rules: internal imports only downwards (or
 * to the shared test helpers a test may use), never by a deep or relative path into another unit;
 * every external package declared by the file's package.json (test files may also use the root's
 * devDependencies); and every declared package used, by an import or by a command in the scripts.
 */
export const checkBoundaries = (root: string, rules: BoundaryRules): Violation[] => {
  const violations: Violation[] = [];
  const manifests = new Map(rules.packageDirs.map((dir) => [dir, readPackageJson(join(root, dir, 'package.json'))]));
  const used = new Map<string, Set<string>>(rules.packageDirs.map((dir) => [dir, new Set<string>()]));
  const unitsByName = new Map(rules.units.map((unit) => [unit.name, unit]));
  const absoluteRoot = resolve(root);

  for (const file of listSourceFiles(root)) {
    const unit = unitOf(rules.units, file);
    if (!unit) continue;
    const test = isTestFile(file);
    const allowed = new Set([...unit.mayImport, ...(test ? (unit.testsMayImport ?? []) : [])]);
    const text = readFileSync(join(root, file), 'utf8');
    const lineOf = (pos: number) => text.slice(0, pos).split('\n').length;
    const report = (pos: number, message: string) => violations.push({ file, line: lineOf(pos), message });

    /** Marks the package as used by the first package.json that declares it; false when none does. */
    const declare = (name: string): boolean => {
      const candidates = test && unit.packageDir !== '.' ? [unit.packageDir, '.'] : [unit.packageDir];
      // A package may import itself by name (one of its subpath exports from another).
      const owner = candidates.find(
        (dir) => manifests.get(dir)?.name === name || declaredIn(manifests.get(dir)).has(name),
      );
      if (owner !== undefined) used.get(owner)?.add(name);
      return owner !== undefined;
    };

    for (const { fileName: specifier, pos } of ts.preProcessFile(text, true, true).importedFiles) {
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = relative(absoluteRoot, resolve(absoluteRoot, dirname(file), specifier))
          .split(sep)
          .join('/');
        const targetUnit = target.startsWith('..') ? undefined : unitOf(rules.units, target);
        if (targetUnit === unit) continue;
        if (targetUnit?.byPath && allowed.has(targetUnit.name)) continue;
        report(
          pos,
          `imports "${specifier}" by a relative path out of ${unit.name}` +
            (targetUnit ? ` into ${targetUnit.name}: import its entry point instead` : ''),
        );
        continue;
      }
      if (specifier.startsWith('node:') || builtins.has(specifier)) continue;

      const name = packageNameOf(specifier);
      const internalUnit = unitsByName.get(specifier);
      const internalPackage = rules.units.some((candidate) => packageNameOf(candidate.name) === name);
      if (internalPackage) {
        if (!internalUnit) {
          report(pos, `imports "${specifier}", a deep path into ${name}: import its entry point instead`);
        } else if (internalUnit !== unit && !allowed.has(internalUnit.name)) {
          const may = [...allowed].join(', ') || 'no internal package';
          report(
            pos,
            `imports ${specifier}, which ${unit.name} may not import (a higher layer or a sibling); ${unit.name}${test ? ' tests' : ''} may import: ${may}`,
          );
        }
      }
      if (!declare(name)) {
        report(pos, `imports "${name}", which ${join(unit.packageDir, 'package.json')} does not declare`);
      }
    }
  }

  for (const [dir, manifest] of manifests) {
    if (!manifest) continue;
    const scripts = Object.values(manifest.scripts ?? {}).join('\n');
    const declared = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})];
    // A peer dependency of a declared package is declared to be installed for it (graphql-subscriptions…).
    const peers = new Set(
      declared.flatMap((name) => Object.keys(installedManifest(root, dir, name)?.peerDependencies ?? {})),
    );
    for (const name of declared) {
      if (name.startsWith('@types/') || used.get(dir)?.has(name) || peers.has(name)) continue;
      const bins = binsOf(root, dir, name);
      if (bins.some((bin) => new RegExp(`(^|[\\s;&|(])${bin}(\\s|$)`, 'm').test(scripts))) continue;
      violations.push({
        file: join(dir, 'package.json'),
        line: 1,
        message: `declares "${name}", which nothing in ${dir === '.' ? 'the root' : dir} imports or runs`,
      });
    }
  }
  return violations;
};
