import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makePhoto } from './photos.js';
/** Generates the example site's group photos: one 2000×1333 JPEG per post in posts/. */
async function main(siteDir) {
    const posts = (await readdir(path.join(siteDir, 'posts'))).filter((f) => f.endsWith('.md')).sort();
    for (const [index, post] of posts.entries()) {
        const target = path.join(siteDir, 'images', post.replace(/\.md$/, '.jpeg'));
        await writeFile(target, await makePhoto(2000, 1333, index + 1));
        console.log(target);
    }
}
await main(process.argv[2] ?? '.');
