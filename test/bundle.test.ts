import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { compiledProgram, PACKAGE_ROOT, PROGRAMS, UNBUNDLED_PACKAGES } from '../src/package-files.js';
import { BUILTIN_TEMPLATES } from '../src/views/renderer.js';

const COMPILED = path.join(PACKAGE_ROOT, 'dist', 'src');
const CHUNKS = path.join(COMPILED, 'chunks');

/** Every module a file names in an import or export statement, or in import(). */
function specifiersIn(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm)];
  return found.map((match) => (match[1] ?? match[2] ?? match[3])!);
}

/** True for what a bundled file may load: Node's own modules, the packages left out of the bundle, or a chunk of it. */
function bundledOrLeftOut(specifier: string, from: string): boolean {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier)) return true;
  if (UNBUNDLED_PACKAGES.includes(specifier.split('/')[0]!)) return true;
  return specifier.startsWith('.') && path.dirname(path.resolve(path.dirname(from), specifier)) === CHUNKS;
}

describe('the bundled programs (npm run compile)', () => {
  it('finds Recap\'s package folder and each program\'s compiled file', () => {
    assert.ok(existsSync(path.join(PACKAGE_ROOT, 'package.json')));
    assert.equal(BUILTIN_TEMPLATES, path.join(PACKAGE_ROOT, 'templates'));
    for (const program of Object.keys(PROGRAMS) as Array<keyof typeof PROGRAMS>) {
      assert.ok(existsSync(fileURLToPath(compiledProgram(program))), `${program} is compiled`);
    }
  });

  it('runs every program as a bundle: it loads nothing of dist/src but its chunks', () => {
    const files = [...Object.values(PROGRAMS).map((file) => path.join(COMPILED, file)), ...readdirSync(CHUNKS).map((name) => path.join(CHUNKS, name))];
    assert.ok(files.length > Object.keys(PROGRAMS).length, 'the programs share chunks');
    for (const file of files) {
      const specifiers = specifiersIn(file);
      const stray = specifiers.filter((specifier) => !bundledOrLeftOut(specifier, file));
      assert.deepEqual(stray, [], `${path.relative(COMPILED, file)} loads only Node's modules, the packages left to Node and chunks`);
    }
    // The CLI's own file loads its chunks; the libraries are in them, not loaded from node_modules.
    const cli = specifiersIn(path.join(COMPILED, PROGRAMS.cli));
    assert.ok(cli.some((specifier) => specifier.startsWith('./chunks/')), 'the CLI loads its chunks');
    assert.ok(!cli.includes('nunjucks') && !cli.includes('markdown-it'), 'the libraries are bundled');
  });
});
