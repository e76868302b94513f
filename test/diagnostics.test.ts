import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DIAGNOSTIC_CODES } from '../src/diagnostics/diagnostic-codes.js';
import { Diagnostics, type Diagnostic } from '../src/diagnostics/diagnostics.js';
import { printDiagnostics, printRebuildDiagnostics } from '../src/cli/report.js';
import { buildSite, makeSite, messages, post, REPO, runCli } from './helpers.js';

describe('diagnostic codes', () => {
  it('uses every code of the catalogue somewhere in Recap, and lists every one in the README', () => {
    const sources = (readdirSync(path.join(REPO, 'src'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('diagnostic-codes.ts'))
      .map((f) => readFileSync(path.join(REPO, 'src', f), 'utf8')).join('\n');
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    for (const [code, what] of Object.entries(DIAGNOSTIC_CODES)) {
      assert.match(sources, new RegExp(`'${code}'`), `${code} (${what}) is never reported`);
      assert.ok(readme.includes(`| \`${code}\` | ${what} |`), `${code} is missing from the README's table`);
    }
  });

  it('prints each diagnostic with its code and the source line it points at', () => {
    const site = makeSite({
      'posts/2024-03-06-a.md': post('title: A\ndate: 2024-02-30', 'Text.\n'),
      'posts/2024-03-07-b.md': post('title: B\nimage: /images/nope.jpeg', 'Text.\n'),
    });
    const result = runCli(['build', site]);
    assert.equal(result.code, 1);
    const lines = result.stderr.split('\n');
    const at = lines.findIndex((l) => l.startsWith('posts/2024-03-06-a.md:3:7 error: front matter date: 2024-02 has no day 30'));
    assert.ok(at >= 0, result.stderr);
    assert.match(lines[at]!, / \[R205\]$/);
    assert.equal(lines[at + 1], '  3 | date: 2024-02-30');
    assert.equal(lines[at + 2], '    |       ^');
    assert.match(result.stderr, /posts\/2024-03-07-b\.md:3:8 warning: image \/images\/nope\.jpeg does not exist \[R403\]\n {2}3 \| image: \/images\/nope\.jpeg\n {4}\| {8}\^\n {2}hint: /);
  });

  it('prints a line break in what a report quotes escaped, so no file name can print a report of its own', () => {
    const site = makeSite({
      '_config.yml': 'title: Broken lines\ncollections_dir: my_collections\n',
      'my_collections/_posts/2024-03-06-a.md': post('title: A', 'Text.\n'),
      'my_collections/_posts/2024-03-07-b\nabout.md error: forged [R998].md': '---\nlayout: post\n---\nNo title.\n',
    });
    const result = runCli(['build', site]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stderr.split('\n');
    assert.ok(!lines.some((line) => line.startsWith('about.md error: forged')), result.stderr);
    assert.ok(lines.some((line) => line.startsWith('my_collections/_posts/2024-03-07-b\\nabout.md error: forged [R998].md')), result.stderr);
  });

  it('silences the warnings and notes a site lists in recap.yml, never its errors, and refuses an unknown code', async () => {
    const files = {
      'posts/2024-03-06-a.md': post('title: A\nimage: /images/nope.jpeg', '![](/images/also-nope.jpeg)\n'),
      'posts/2024-03-07-b.md': post('title: B\ndate: 2024-02-30'),
    };
    const loud = await buildSite(makeSite({ 'recap.yml': 'title: T\n', ...files }));
    assert.ok(messages(loud).some((m) => m.includes('[R403]')));
    const quiet = await buildSite(makeSite({ 'recap.yml': 'title: T\nsilence: [R403, R302, R205, R105]\n', ...files }));
    const text = messages(quiet).join('\n');
    assert.doesNotMatch(text, /\[R403\]|\[R302\]|\[R105\]/);
    assert.match(text, /error: front matter date: .* \[R205\]/, 'an error is never silenced');
    const unknown = await buildSite(makeSite({ 'recap.yml': 'title: T\nsilence: [R999]\n', 'posts/2024-03-06-a.md': post('title: A') }));
    assert.match(messages(unknown).join('\n'), /recap\.yml:2:\d+ error: silence\.0: not a diagnostic code .*\[R101\]/);
  });
});

describe('many diagnostics', () => {
  it('holds, merges and silences 300,000 of them (a Jekyll loop of 150,000 images without alt made as many), where a list spread into push() overflowed the stack', () => {
    const many = new Diagnostics();
    for (let n = 0; n < 150_000; n++) {
      many.warning('R302', '_posts/a.md', 4, undefined, `image x${n}.png has no text alternative`);
      many.warning('R303', '_posts/a.md', 5, undefined, 'malformed YouTube link');
    }
    const all = new Diagnostics();
    all.merge(many);
    all.addAll(many.list);
    assert.equal(all.list.length, 600_000);
    all.silence(new Set(['R303']));
    assert.deepEqual([all.count('warning'), all.list.every((d) => d.code === 'R302')], [300_000, true]);
  });
});

describe('the printed report of a build, a check and a rebuild', () => {
  /** What printing wrote to stderr. */
  const printed = (print: () => void): string => {
    const write = process.stderr.write;
    let text = '';
    process.stderr.write = ((chunk: string) => ((text += chunk), true)) as typeof process.stderr.write;
    try {
      print();
    } finally {
      process.stderr.write = write;
    }
    return text;
  };
  const site = makeSite({ 'posts/a.md': 'one\ntwo\n' });
  /** A build's diagnostics: a rebuild hands on the very objects of what it did not make again. */
  const diagnosticsOf = (list: Diagnostic[]): Diagnostics => {
    const diagnostics = new Diagnostics();
    diagnostics.list.push(...list);
    return diagnostics;
  };
  const warning = (message: string): Diagnostic => ({ code: 'R403', severity: 'warning', file: 'posts/a.md', line: 2, column: 1, message });
  const error: Diagnostic = { code: 'R303', severity: 'error', file: 'posts/a.md', line: 1, column: 1, message: 'the broken link' };

  it('prints every error, and only the warnings the report before did not show', () => {
    const [one, two] = [warning('photo one missing'), warning('photo two missing')];
    let reported = new Set<Diagnostic>();
    const first = printed(() => (reported = printRebuildDiagnostics(diagnosticsOf([error, one, two]), reported, site)));
    assert.match(first, /the broken link/);
    assert.match(first, /photo one missing[\s\S]*photo two missing/);
    assert.doesNotMatch(first, /shown before/);
    const again = printed(() => (reported = printRebuildDiagnostics(diagnosticsOf([error, one, two]), reported, site)));
    assert.match(again, /the broken link/);
    assert.doesNotMatch(again, /photo (one|two) missing/);
    assert.match(again, /\(2 warnings and notes shown before, not repeated\)/);
    // The post with the second photo was made again: its warnings are this rebuild's own.
    const remade = printed(() => (reported = printRebuildDiagnostics(diagnosticsOf([error, one, warning('photo two missing'), warning('photo three missing')]), reported, site)));
    assert.match(remade, /photo two missing[\s\S]*photo three missing/);
    assert.doesNotMatch(remade, /photo one missing/);
    assert.match(remade, /\(1 warning or note shown before, not repeated\)/);
  });

  it("prints a file's problems of one kind 20 times, and counts the rest in one line", () => {
    const refused = (file: string, line: number): Diagnostic => ({ code: 'R301', severity: 'warning', file, line, column: 3, message: `refused address ${line}` });
    const many = Array.from({ length: 25 }, (_, i) => refused('posts/a.md', i + 1));
    const text = printed(() => printDiagnostics(diagnosticsOf([...many, warning('photo missing'), error, refused('posts/b.md', 1)]), false, site));
    const lines = text.split('\n').filter((line) => /^posts\//.test(line));
    const ofA = lines.filter((line) => line.startsWith('posts/a.md:') && line.endsWith('[R301]'));
    assert.deepEqual(ofA.map((line) => line.match(/refused address (\d+)/)?.[1]), Array.from({ length: 20 }, (_, i) => String(i + 1)));
    assert.ok(lines.includes('posts/a.md warning: 5 more warnings like the 20 above, not printed [R301]'), text);
    assert.match(text, /not printed \[R301\]\n {2}hint: `recap check --format json` lists every one/);
    assert.ok(lines.some((line) => line.startsWith('posts/a.md:1:1 error: the broken link')), 'other kinds of problem are printed');
    assert.ok(lines.some((line) => line.startsWith('posts/a.md:2:1 warning: photo missing')));
    assert.ok(lines.includes('posts/b.md:1:3 warning: refused address 1 [R301]'), "another file's are counted apart");
    assert.equal(lines.filter((line) => line.includes('not printed')).length, 1);
  });
});
