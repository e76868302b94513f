import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { writeManifest } from '../src/output/write.js';
import { buildSite, makeSite, post } from './helpers.js';
async function buildAndWrite(site) {
    const result = await buildSite(site);
    assert.equal(result.diagnostics.count('error'), 0);
    return writeManifest(result.manifest, path.join(site, '_site'), site);
}
describe('writing the output', () => {
    it('writes only what changed, and removes what is gone, across rebuilds', async () => {
        const site = makeSite({
            'recap.yml': 'title: W\nurl: https://w.example\n',
            'posts/2024-03-06-a.md': post('title: A'),
            'posts/2024-03-07-b.md': post('title: B'),
        });
        const first = await buildAndWrite(site);
        assert.equal(first.unchanged, 0);
        const second = await buildAndWrite(site);
        assert.equal(second.written, first.written, 'the standby tree starts empty, so it is written in full once');
        const third = await buildAndWrite(site);
        assert.equal(third.written, 0, 'nothing changed: nothing is written');
        writeFileSync(path.join(site, 'posts/2024-03-06-a.md'), post('title: A', 'A new body.\n'));
        const fourth = await buildAndWrite(site);
        assert.ok(fourth.written >= 1 && fourth.written < 5, `wrote ${fourth.written}`);
        assert.match(readFileSync(path.join(site, '_site/2024/03/06/a/index.html'), 'utf8'), /A new body\./);
        unlinkSync(path.join(site, 'posts/2024-03-07-b.md'));
        await buildAndWrite(site);
        assert.equal(existsSync(path.join(site, '_site/2024/03/07/b/index.html')), false);
        assert.equal(existsSync(path.join(site, '_site/2024/03/07')), false, 'emptied folders are removed');
        await buildAndWrite(site);
        assert.equal(existsSync(path.join(site, '_site/2024/03/07/b/index.html')), false, 'the standby tree lost it too');
        assert.match(readFileSync(path.join(site, '_site/2024/03/06/a/index.html'), 'utf8'), /A new body\./);
    });
    it('recovers when the standby tree was damaged or removed', async () => {
        const site = makeSite({ 'posts/2024-03-06-a.md': post('title: A') });
        await buildAndWrite(site);
        await buildAndWrite(site);
        rmSync(path.join(site, '._site.recap/standby/2024'), { recursive: true });
        await buildAndWrite(site);
        assert.ok(existsSync(path.join(site, '_site/2024/03/06/a/index.html')));
        await buildAndWrite(site);
        assert.ok(existsSync(path.join(site, '_site/2024/03/06/a/index.html')));
        rmSync(path.join(site, '._site.recap'), { recursive: true });
        await buildAndWrite(site);
        assert.ok(existsSync(path.join(site, '_site/2024/03/06/a/index.html')));
    });
});
