import { PostCache } from './post-cache.js';
import { Memo } from './memo.js';
/**
 * What each kind of change forgets (Zola's ChangeKind and the match over it in its serve command
 * are the model). A post's own change needs nothing forgotten: the watcher's changed set makes its
 * file a new source object, and every key downstream changes with it. speakers.yml (data) reaches
 * pages only through keys that carry its digest. Templates, photos and static files reach pages
 * through helpers no key sees; settings reach the parse and resolve stages too.
 */
export const CHANGE_REACH = {
    post: 'nothing',
    data: 'nothing',
    template: 'rendered',
    image: 'rendered',
    static: 'rendered',
    config: 'posts',
};
/** Forgets what a burst of changes of these kinds reaches: the farthest reach among them. */
export function forgetChanged(memory, kinds) {
    const reaches = [...kinds].map((kind) => CHANGE_REACH[kind]);
    if (reaches.includes('posts'))
        forgetRendered(memory, true);
    else if (reaches.includes('rendered'))
        forgetRendered(memory, false);
}
/**
 * Forgets every rendered page and view: templates, photos, static files and settings reach pages
 * through helpers that no memo key sees, so after such a change everything renders again. After
 * a settings change, resolved posts are forgotten too: their keys do not hold every setting the
 * parse reads (the post cache, keyed by content and settings, stays).
 */
function forgetRendered(memory, settingsChanged) {
    memory.pages = new Memo();
    memory.views = new Memo();
    memory.bytes = new Memo();
    memory.lists = new Memo();
    memory.tokens = new WeakMap();
    memory.rendered = new Memo();
    memory.renderer = undefined;
    memory.imageChecks = new Memo();
    if (settingsChanged)
        memory.resolved = new Memo();
}
/** A fresh memory for a series of builds of one site. */
export async function createBuildMemory() {
    return {
        posts: await PostCache.open(undefined, { rawHtml: true }),
        sources: new Map(),
        changed: new Set(),
        pages: new Memo(),
        views: new Memo(),
        bytes: new Memo(),
        lists: new Memo(),
        tokens: new WeakMap(),
        resolved: new Memo(),
        rendered: new Memo(),
        imageChecks: new Memo(),
    };
}
