import { frontMatterLine } from '../content/post.js';
import { lineOfYamlKey } from '../content/yaml.js';
/**
 * Checks every photo a post references (front matter `image:` and Markdown images) and chooses
 * each post's social image: its photo's 1200×630 crop, a remote image as it is, or a generated card.
 */
export function checkImages(posts, plan, known, config, diagnostics, remembered) {
    const social = new Map();
    for (const post of posts) {
        const key = `${post.file}\0${post.digest}`;
        const seen = remembered?.get(key);
        if (seen) {
            diagnostics.list.push(...seen.diagnostics);
            if (seen.social)
                social.set(post.file, seen.social);
            if (seen.card)
                plan.card(config.title, post.title, post.file);
            continue;
        }
        const before = diagnostics.list.length;
        for (const image of post.body.images)
            plan.checkReference(image.src, post.file, () => ({ line: image.line }), known, diagnostics);
        const image = post.data.image;
        if (image) {
            plan.checkReference(image, post.file, () => {
                const at = lineOfYamlKey(post.matterText, ['image']);
                return at ? { line: frontMatterLine(at.line), column: at.column } : {};
            }, known, diagnostics);
            const local = plan.localPath(image);
            const planned = local ? plan.get(local) : undefined;
            if (planned)
                social.set(post.file, planned.social.url);
            else if (!local)
                social.set(post.file, image);
        }
        // A card stands in for a post without a photo, not for one whose photo is missing (that is a warning).
        const card = !social.has(post.file) && !image;
        if (card)
            social.set(post.file, plan.card(config.title, post.title, post.file).url);
        remembered?.set(key, { social: social.get(post.file), card, diagnostics: diagnostics.list.slice(before) });
    }
    return social;
}
