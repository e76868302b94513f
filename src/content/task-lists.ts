import type MarkdownIt from 'markdown-it';
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs';
import type Token from 'markdown-it/lib/token.mjs';

/** `[ ] ` or `[x] ` at the start of a list item: a task, open or done. */
const TASK = /^\[([ xX])\][ \u00a0]/;

/**
 * GitHub's task lists, which Jekyll's kramdown (GFM input) reads: `- [x] done` is a list item with a
 * disabled checkbox, labelled by the task's text (so it is accessible), with the classes Jekyll
 * gives (`task-list`, `task-list-item`, `task-list-item-checkbox`). One pass over the tokens, the
 * open lists kept on a stack: a list of thousands of tasks costs no more than its length.
 */
function markTasks(state: StateCore): void {
  const tokens = state.tokens;
  const lists: Token[] = [];
  let ids = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') lists.push(token);
    else if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') lists.pop();
    if (token.type !== 'inline' || tokens[i - 1]?.type !== 'paragraph_open' || tokens[i - 2]?.type !== 'list_item_open') continue;
    const task = TASK.exec(token.content);
    const first = token.children?.[0];
    if (!task || first?.type !== 'text' || !TASK.test(first.content)) continue;
    first.content = first.content.slice(4);
    const id = `task-item-${ids++}`;
    const box = new state.Token('task_checkbox', 'input', 0);
    box.attrs = [['type', 'checkbox'], ['class', 'task-list-item-checkbox'], ['id', id], ['disabled', 'disabled']];
    if (task[1] !== ' ') box.attrs.push(['checked', 'checked']);
    const label = new state.Token('label_open', 'label', 1);
    label.attrs = [['for', id]];
    token.children = [box, label, ...token.children!, new state.Token('label_close', 'label', -1)];
    tokens[i - 2]!.attrJoin('class', 'task-list-item');
    const list = lists.at(-1);
    if (list && !(list.attrGet('class') ?? '').split(' ').includes('task-list')) list.attrJoin('class', 'task-list');
  }
}

/** Task lists in markdown-it (see markTasks). */
export function taskLists(md: MarkdownIt): void {
  md.core.ruler.after('inline', 'recap_task_lists', (state) => {
    if (state.src.includes('[')) markTasks(state);
  });
  md.renderer.rules['task_checkbox'] = (tokens, idx, _options, _env, self) => `<input${self.renderAttrs(tokens[idx]!)}>`;
}
