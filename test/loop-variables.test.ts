import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import nunjucks from 'nunjucks';
import { useQuickLoopVariables } from '../src/views/loop-variables.js';

type Frame = { variables: Record<string, unknown>; set(name: string, value: unknown, resolveUp?: boolean): void; push(isolateWrites?: boolean): Frame };
const frameClass = (nunjucks as unknown as { runtime: { Frame: { prototype: Frame; new (): Frame } } }).runtime.Frame;

// Nothing has installed the quick version yet in this process: this is Nunjucks' own.
const generalSet = frameClass.prototype.set;
useQuickLoopVariables();
const quickSet = frameClass.prototype.set;

const TEMPLATE = `{% macro card(item, n) %}{% set label = item.name + "#" + n %}[{{ label }}]{% endmacro %}
{% set total = 0 %}{% for group in groups %}{% set heading = group.title %}<h2>{{ heading }} {{ loop.index }}/{{ loop.length }}</h2>
{% for item in group.items %}{{ loop.index0 }}:{{ loop.revindex }}:{{ loop.revindex0 }}{% if loop.first %} first{% endif %}{% if loop.last %} last{% endif %} {{ card(item, loop.index) }}
{% set total = total + 1 %}{% else %}none{% endfor %}{% endfor %}total {{ total }} {{ heading }}
{% for key, value in pairs %}{{ key }}={{ value }}{% if not loop.last %}, {% endif %}{% endfor %}`;

function render(): string {
  const env = new nunjucks.Environment(undefined, { autoescape: true });
  return env.renderString(TEMPLATE, {
    groups: [{ title: 'A', items: [{ name: 'x' }, { name: 'y' }, { name: 'z' }] }, { title: 'B', items: [] }, { title: 'C', items: [{ name: 'w' }] }],
    pairs: { one: 1, two: 2 },
  });
}

describe('quick loop variables in Nunjucks', () => {
  it('store what Nunjucks stores, for every kind of name and scope', () => {
    assert.notEqual(quickSet, generalSet, 'installed');
    const calls: Array<[string, unknown, boolean?]> = [
      ['loop.index', 1], ['loop.index0', 0], ['loop.revindex', 3], ['loop.revindex0', 2], ['loop.first', true], ['loop.last', false], ['loop.length', 3],
      ['item', { a: 1 }], ['a.b.c', 4], ['label', 'x', true], ['outer', 'changed', true], ['fresh', 'new', true], ['loop', 0], ['loop.index', 2],
    ];
    for (const isolateWrites of [false, true]) {
      const frames = [generalSet, quickSet].map((set) => {
        const parent = new frameClass();
        parent.variables['outer'] = 'kept';
        const frame = parent.push(isolateWrites);
        // Both scopes after every call: a later call may overwrite what an earlier one stored.
        return calls.map(([name, value, resolveUp]) => {
          set.call(frame, name, value, resolveUp);
          return structuredClone({ parent: parent.variables, frame: frame.variables });
        });
      });
      assert.deepEqual(frames[1], frames[0], `isolateWrites ${isolateWrites}`);
    }
  });

  it('render templates exactly as Nunjucks does', () => {
    const quick = render();
    frameClass.prototype.set = generalSet;
    try {
      assert.equal(quick, render());
    } finally {
      frameClass.prototype.set = quickSet;
    }
    assert.match(quick, /0:3:2 first \[x#1\]/);
    assert.match(quick, /^total 4 $/m, "a set inside a loop changes the outer total, not the outer heading");
  });
});
