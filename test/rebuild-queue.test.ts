import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeBatches, ONE_FILE_QUIET_MS, RebuildQueue, showableAt } from '../src/preview/rebuild-queue.js';
import { BURST_QUIET_MS, type ChangeBatch } from '../src/preview/watch.js';

/** A batch of one post changed at `at` ms. */
function saved(name: string, at: number): ChangeBatch {
  return { paths: new Set([`/site/posts/${name}.md`]), kinds: new Set(['post']), lastChangeAt: at };
}

/**
 * A queue on a clock of the test's own: each build waits until the test finishes it, each wait
 * for a burst to be over until the test moves the clock past it. What was shown, and every
 * build and wait asked for, is recorded.
 */
function harness() {
  let clock = 0;
  const builds: Array<{ batch: ChangeBatch; finish: (result: string) => void; fail: (err: Error) => void }> = [];
  const sleeps: Array<{ until: number; wake: () => void }> = [];
  const shown: Array<{ result: string; paths: string[] }> = [];
  const crashes: unknown[] = [];
  const queue = new RebuildQueue<string>({
    build: (batch) => new Promise<string>((resolve, reject) => builds.push({ batch, finish: resolve, fail: reject })),
    show: (result, batch) => shown.push({ result, paths: [...batch.paths].sort() }),
    crashed: (err) => crashes.push(err),
    now: () => clock,
    sleep: (ms) => new Promise<void>((wake) => sleeps.push({ until: clock + ms, wake })),
  });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    queue, builds, sleeps, shown, crashes,
    /** Moves the clock to `at`, waking every wait that ends by then. */
    async advance(at: number) {
      clock = at;
      const due = sleeps.filter((sleep) => sleep.until <= at);
      sleeps.splice(0, sleeps.length, ...sleeps.filter((sleep) => sleep.until > at));
      for (const sleep of due) sleep.wake();
      await settle();
    },
    async finish(n: number, result: string) {
      builds[n]!.finish(result);
      await settle();
    },
    settle,
  };
}

describe("recap serve's rebuilds", () => {
  it('start a save\'s rebuild at once, and show its result once the burst it may begin is over', async () => {
    const h = harness();
    h.queue.schedule(saved('a', 0));
    assert.equal(h.builds.length, 1, 'the rebuild starts at once');
    await h.finish(0, 'a');
    assert.equal(h.shown.length, 0, 'not shown before the burst is over');
    assert.equal(h.sleeps[0]!.until, showableAt(saved('a', 0)));
    assert.ok(showableAt(saved('a', 0)) >= BURST_QUIET_MS + ONE_FILE_QUIET_MS, 'a change within the burst has reached the queue by then');
    await h.advance(showableAt(saved('a', 0)));
    assert.deepEqual(h.shown, [{ result: 'a', paths: ['/site/posts/a.md'] }]);
  });

  it("never hold a result longer than the hold itself, whatever the watcher's clock says", async () => {
    const h = harness();
    h.queue.schedule(saved('a', 60_000));
    await h.finish(0, 'a');
    assert.equal(h.sleeps[0]!.until, showableAt(saved('a', 0)));
    await h.advance(showableAt(saved('a', 0)));
    assert.deepEqual(h.shown.map((s) => s.result), ['a']);
  });

  it('show a rebuild that ends after the burst at once', async () => {
    const h = harness();
    h.queue.schedule(saved('a', 0));
    await h.advance(100);
    await h.finish(0, 'a');
    assert.deepEqual(h.sleeps, [], 'no wait');
    assert.deepEqual(h.shown.map((s) => s.result), ['a']);
  });

  it('drop a result when a change came within the burst, and show the next with both changes', async () => {
    const h = harness();
    h.queue.schedule(saved('a', 0));
    h.queue.schedule(saved('b', 8));
    assert.equal(h.builds.length, 1, 'one rebuild at a time');
    await h.finish(0, 'half');
    await h.advance(100);
    assert.equal(h.shown.length, 0, 'the half-made result is never shown');
    assert.equal(h.builds.length, 2);
    assert.deepEqual([...h.builds[1]!.batch.paths], ['/site/posts/b.md'], 'the next rebuild is told of what is new to it');
    await h.finish(1, 'whole');
    assert.deepEqual(h.shown, [{ result: 'whole', paths: ['/site/posts/a.md', '/site/posts/b.md'] }], 'shown with every change since the last result shown');
  });

  it('drop a result when a change comes while it waits for the burst to be over', async () => {
    const h = harness();
    h.queue.schedule(saved('a', 0));
    await h.finish(0, 'half');
    await h.advance(12);
    h.queue.schedule(saved('b', 12));
    await h.advance(showableAt(saved('a', 0)));
    assert.equal(h.shown.length, 0);
    await h.finish(1, 'whole');
    await h.advance(showableAt(saved('b', 12)));
    assert.deepEqual(h.shown.map((s) => s.result), ['whole']);
    assert.deepEqual(h.shown[0]!.paths, ['/site/posts/a.md', '/site/posts/b.md']);
  });

  it('show each of two bursts apart, merge the batches that wait, and go on after a crash', async () => {
    const h = harness();
    h.queue.schedule(saved('a', 0));
    await h.finish(0, 'a');
    await h.advance(50);
    h.queue.schedule(saved('b', 60));
    h.queue.schedule(saved('c', 61));
    assert.equal(h.builds.length, 2);
    h.builds[1]!.fail(new Error('a bug'));
    await h.settle();
    assert.equal(h.crashes.length, 1);
    assert.deepEqual([...h.builds[2]!.batch.paths], ['/site/posts/c.md'], 'the batch that waited runs next');
    await h.finish(2, 'c');
    await h.advance(200);
    assert.deepEqual(h.shown.map((s) => s.result), ['a', 'c']);
    await h.queue.idle();
  });

  it('wait for the first build before any rebuild', async () => {
    const h = harness();
    let firstDone!: () => void;
    h.queue.runFirst(new Promise<void>((resolve) => (firstDone = resolve)));
    h.queue.schedule(saved('a', 0));
    h.queue.schedule(saved('b', 1));
    assert.equal(h.builds.length, 0);
    firstDone();
    await h.settle();
    assert.deepEqual([...h.builds[0]!.batch.paths].sort(), ['/site/posts/a.md', '/site/posts/b.md'], 'the changes made meanwhile, as one batch');
    assert.deepEqual(mergeBatches(saved('a', 3), saved('b', 1)).lastChangeAt, 3);
  });
});
