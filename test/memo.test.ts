import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Memo } from '../src/incremental/memo.js';
import { StableKeys, stableKey } from '../src/incremental/stable-keys.js';

type Step = { op: 'get' | 'set' | 'delete'; key: string } | { op: 'settle' } | { op: 'keepAll' };

/** The memo's rules spelled out with plain maps: what it should answer, and whether a settle drops anything. */
class ModelMemo {
  private previous = new Map<string, number>();
  private current = new Map<string, number>();

  get(key: string): number | undefined {
    const value = this.current.get(key) ?? this.previous.get(key);
    if (value !== undefined) this.current.set(key, value);
    return value;
  }

  set(key: string, value: number): void {
    this.current.set(key, value);
  }

  delete(key: string): void {
    this.previous.delete(key);
    this.current.delete(key);
  }

  keepAll(): void {
    for (const [key, value] of this.previous) if (!this.current.has(key)) this.current.set(key, value);
  }

  entries(): Array<[string, number]> {
    return [...this.previous.entries()];
  }

  settle(): boolean {
    const dropped = [...this.previous.keys()].some((key) => !this.current.has(key));
    this.previous = this.current;
    this.current = new Map();
    return dropped;
  }
}

const KEYS = ['a', 'b', 'c', 'd'];
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constantFrom('get' as const, 'set' as const, 'delete' as const), key: fc.constantFrom(...KEYS) }),
  fc.constant({ op: 'settle' as const }),
  fc.constant({ op: 'keepAll' as const }),
);

describe('Memo', () => {
  it('answers and settles as its rules say, whatever builds ask of it', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const memo = new Memo<number>();
        const model = new ModelMemo();
        steps.forEach((s, n) => {
          if (s.op === 'settle') assert.equal(memo.settle(), model.settle(), `settle at step ${n}`);
          else if (s.op === 'keepAll') {
            memo.keepAll();
            model.keepAll();
          }
          else if (s.op === 'get') assert.equal(memo.get(s.key), model.get(s.key), `get ${s.key} at step ${n}`);
          else if (s.op === 'set') {
            memo.set(s.key, n);
            model.set(s.key, n);
          } else {
            memo.delete(s.key);
            model.delete(s.key);
          }
        });
        assert.equal(memo.settle(), model.settle(), 'the last settle');
        assert.deepEqual([...memo.entries()].sort(), model.entries().sort(), 'what the next build may reuse');
      }),
      { numRuns: 2000 },
    );
  });

  it('says a settle dropped something only when a key of the last build went unused', () => {
    const memo = new Memo<number>([['a', 1], ['b', 2]]);
    memo.get('a');
    memo.set('b', 3);
    assert.equal(memo.settle(), false);
    memo.get('a');
    assert.equal(memo.settle(), true);
    assert.deepEqual([...memo.entries()], [['a', 1]]);
    // A key used and then deleted (an entry that failed its checks) is gone, not dropped; one left unused is dropped.
    memo.get('a');
    memo.set('b', 4);
    assert.equal(memo.settle(), false);
    memo.get('a');
    memo.delete('a');
    assert.equal(memo.settle(), true);
    assert.deepEqual([...memo.entries()], []);
  });
});

describe('StableKeys', () => {
  it('gives each owner the join of its parts, whatever it was asked before', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(3), fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.nat(9), fc.boolean()), { maxLength: 4 })), { maxLength: 40 }), (asks) => {
      const keys = new StableKeys();
      const owners = [{}, {}, {}, {}];
      for (const [owner, parts] of asks) assert.equal(keys.of(owners[owner]!, parts), parts.join('\0'));
    }));
  });

  it('joins afresh where no keys are held', () => {
    assert.equal(stableKey(undefined, {}, ['a', 1, false]), 'a\x001\x00false');
  });
});
