import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import matter from 'gray-matter';
import { splitFrontMatter } from '../src/content/frontmatter.js';
import { Diagnostics } from '../src/diagnostics/diagnostics.js';
import { buildSite, makeSite, messages, post } from './helpers.js';

const FILE = 'posts/2024-03-06-meetup.md';

async function diagnosticsFor(content: string | Buffer, name = FILE): Promise<string[]> {
  const site = makeSite({ [name]: content });
  return messages(await buildSite(site)).filter((m) => !m.includes(' note: '));
}

describe('front matter and post files', () => {
  it('refuses JavaScript front matter in any case, without running it', async () => {
    for (const fence of ['---js', '---javascript', '---JS', '--- JavaScript']) {
      const marker = `globalThis.__recapRan_${fence.replace(/\W/g, '')}`;
      const got = await diagnosticsFor(`${fence}\n{ title: (${marker} = true, "x") }\n---\nbody\n`);
      assert.equal((globalThis as Record<string, unknown>)[marker.slice('globalThis.'.length)], undefined, `${fence} ran code`);
      assert.equal(got.length, 1, got.join('\n'));
      assert.match(got[0]!, /^posts\/2024-03-06-meetup\.md:1:4 error: front matter in ".+" is refused/);
    }
  });

  it('builds a post without front matter as Jekyll does, its title from the file name', async () => {
    const result = await buildSite(makeSite({ [FILE]: 'Just a body, [with a link](https://example.org/).\n' }));
    assert.equal(result.diagnostics.count('error') + result.diagnostics.count('warning'), 0, messages(result).join('\n'));
    assert.ok(messages(result).some((m) => /^posts\/2024-03-06-meetup\.md:1:1 note: no title: using "Meetup" from the file name/.test(m)));
    assert.match(result.manifest.get('/2024/03/06/meetup/')!.content!.toString(), /<h1>Meetup<\/h1>[\s\S]*Just a body/);
  });

  it('cuts the body where gray-matter cuts it, though gray-matter reads the front matter alone', () => {
    const keepText = { language: 'yaml', engines: { yaml: { parse: (text: string) => ({ text }) } } };
    for (const text of ['---\ntitle: a\n---\nbody\n', '---\ntitle: a\n--- \t\n\nbody', '---\ntitle: a\n---\n\n\n# h\n', '--- yaml\ntitle: a\n---\nx',
      '---\ntitle: a\n---', '---\ntitle: a\n---\n', '---\ntitle: a\nb: "---"\n---\n---\nafter a rule\n']) {
      const split = splitFrontMatter(text, FILE, new Diagnostics());
      assert.ok(split, text);
      // Spaces after the closing "---" belong to its line, not to the body's first line.
      assert.equal(split.body, matter(text, keepText).content.replace(/^[ \t]+(\n|$)/, ''), JSON.stringify(text));
    }
  });

  it('closes front matter as Jekyll does: at "---" or YAML\'s "...", spaces and a Windows line end after it', () => {
    for (const [text, body, bodyLine] of [['---\ntitle: a\n...\nbody\n', 'body\n', 4], ['---\r\ntitle: a\r\n---\r\nbody\r\n', 'body\r\n', 4],
      ['---\ntitle: a\n---  \n\nbody', '\nbody', 4], ['---\ntitle: a\n---x\nb: 1\n---\nbody', 'body', 6]] as const) {
      const split = splitFrontMatter(text, FILE, new Diagnostics());
      assert.ok(split, text);
      assert.equal(split.data['title'], 'a', JSON.stringify(text));
      assert.deepEqual([split.body, split.bodyLine], [body, bodyLine], JSON.stringify(text));
    }
  });

  it('reports an unclosed fence', async () => {
    const [d] = await diagnosticsFor('---\ntitle: x\n\nbody\n');
    assert.match(d!, /^posts\/2024-03-06-meetup\.md:1:1 error: unclosed front matter/);
  });

  it('reports YAML errors at their file line', async () => {
    const [d] = await diagnosticsFor('---\ntitle: ok\ndescription: "unterminated\nlocation: x\n---\nbody\n');
    assert.match(d!, /^posts\/2024-03-06-meetup\.md:\d+:\d+ error: invalid YAML in front matter/);
    const [dup] = await diagnosticsFor('---\ntitle: one\nlocation: a\ntitle: two\n---\nbody\n');
    assert.match(dup!, /^posts\/2024-03-06-meetup\.md:4:\d+ error: invalid YAML in front matter: duplicated mapping key/);
  });

  it('takes a missing title from the file name, as Jekyll does, with a note', async () => {
    const result = await buildSite(makeSite({ 'posts/2024-03-06-cloud-native-LONDON.md': post('description: no title here') }));
    assert.ok(messages(result).some((m) => /^posts\/2024-03-06-cloud-native-LONDON\.md:1:1 note: no title: using "Cloud Native London" from the file name/.test(m)), messages(result).join('\n'));
    assert.equal(result.diagnostics.count('error'), 0);
  });

  it('reports every wrong key of a file at its own line, in plain words with an example', async () => {
    const got = await diagnosticsFor(post('title: ok\ntags: {a: 1}\ntalks: "one talk"\nredirect_from: 42\nnav: maybe'));
    assert.deepEqual(got.map((d) => d.split('\n')[0]), [
      'posts/2024-03-06-meetup.md:3:7 error: tags must be a list of words, like tags: [Meetup, "2024"] [R204]',
      'posts/2024-03-06-meetup.md:4:8 error: talks must be a list of talks, like talks: [{title: "Webhooks", speaker: "Ann Lee", url: "https://youtu.be/VLZIzdmtu-8?t=2606"}] [R204]',
      'posts/2024-03-06-meetup.md:5:16 error: redirect_from must be a path or a list of paths, like redirect_from: [/old-url/] [R204]',
      'posts/2024-03-06-meetup.md:6:6 error: nav must be true, false or a number (its place in the menu) [R204]',
    ]);
    const [talk] = await diagnosticsFor(post('title: ok\ntalks:\n  - speaker: Ann Lee'));
    assert.match(talk!, /^posts\/2024-03-06-meetup\.md:4:\d+ error: talks\[0\] has no title: every talk needs one/);
  });

  it('reports an unclosed quote at the line where it opens', async () => {
    const [double] = await diagnosticsFor('---\ntitle: ok\ndescription: "unterminated\nlocation: x\ntags: [a]\n---\nbody\n');
    assert.match(double!, /^posts\/2024-03-06-meetup\.md:3:14 error: invalid YAML in front matter: this double quote is never closed/);
    const [single] = await diagnosticsFor("---\ntitle: 'it''s fine'\nlocation: 'Leeds\n---\nbody\n");
    assert.match(single!, /^posts\/2024-03-06-meetup\.md:3:11 error: invalid YAML in front matter: this single quote is never closed/);
  });

  it('names the line of a wrongly typed key', async () => {
    const [d] = await diagnosticsFor(post('title: ok\nlocation: London\npublished: maybe'));
    assert.match(d!, /^posts\/2024-03-06-meetup\.md:4:\d+ error: published must be true or false/);
  });

  it('rejects impossible dates in front matter and file names', async () => {
    const [d] = await diagnosticsFor(post('title: ok\ndate: 2024-02-30'));
    assert.match(d!, /^posts\/2024-03-06-meetup\.md:3:7 error: front matter date: 2024-02 has no day 30/);
    const [f] = await diagnosticsFor(post('title: ok'), 'posts/2023-02-29-leap.md');
    assert.match(f!, /^posts\/2023-02-29-leap\.md error: file name date: 2023-02 has no day 29/);
  });

  it('rejects bytes that are not UTF-8, naming the line', async () => {
    const bytes = Buffer.concat([Buffer.from('---\ntitle: ok\n---\nfine line\nbad '), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]);
    const [d] = await diagnosticsFor(bytes);
    assert.match(d!, /^posts\/2024-03-06-meetup\.md:5 error: the file is not valid UTF-8 text/);
  });

  it('drops script URLs from front matter', async () => {
    const [d] = await diagnosticsFor(post('title: ok\nimage: "javascript:alert(1)"'));
    assert.match(d!, /^posts\/2024-03-06-meetup\.md:3:\d+ warning: front matter "image" was removed: "javascript:" URLs are not allowed/);
  });

  it('warns about and skips other files in posts/', async () => {
    const site = makeSite({ 'posts/notes.txt': 'x', 'posts/README.md': post('title: x'), [FILE]: post('title: ok') });
    const result = await buildSite(site);
    const got = messages(result).filter((m) => !m.includes(' note: '));
    assert.deepEqual(got.map((m) => m.split(' ')[0] + ' ' + m.split(' ')[1]), ['posts/README.md warning:', 'posts/notes.txt warning:']);
    assert.equal(result.posts, 1);
  });

  it('accepts unpadded Jekyll dates and YAML 1.1 flags', async () => {
    const site = makeSite({ 'posts/2018-3-8-old.md': post('title: Old\nhide_image: yes\ntags: one two') });
    const result = await buildSite(site);
    assert.equal(result.diagnostics.count('error'), 0, messages(result).join('\n'));
    assert.ok(result.manifest.get('/2018/03/08/old/'));
    assert.ok(result.manifest.get('/tags/one/') && result.manifest.get('/tags/two/'));
  });
});
