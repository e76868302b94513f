import nunjucks from 'nunjucks';

type Frame = { variables: Record<string, unknown>; set(name: string, value: unknown, resolveUp?: boolean): void };
type FrameClass = { prototype: Frame };

const frameClass = (nunjucks as unknown as { runtime: { Frame: FrameClass } }).runtime.Frame;
const generalSet = frameClass.prototype.set;

function loopOf(frame: Frame): Record<string, unknown> {
  return (frame.variables['loop'] ||= {}) as Record<string, unknown>;
}

/**
 * Nunjucks' `Frame.set`, with its two common cases made cheap: the seven `loop.*` variables every
 * `{% for %}` sets at every step, and plain names. The general version splits each name on dots to
 * build nested objects — a lists page of thousands of cards spent ~5% of a build there. Both cases
 * store exactly what the general version stores; every other call (dotted names, `{% set %}`
 * writing up the scope chain) is left to it.
 */
function quickSet(this: Frame, name: string, value: unknown, resolveUp?: boolean): void {
  if (!resolveUp) {
    switch (name) {
      case 'loop.index': loopOf(this).index = value; return;
      case 'loop.index0': loopOf(this).index0 = value; return;
      case 'loop.revindex': loopOf(this).revindex = value; return;
      case 'loop.revindex0': loopOf(this).revindex0 = value; return;
      case 'loop.first': loopOf(this).first = value; return;
      case 'loop.last': loopOf(this).last = value; return;
      case 'loop.length': loopOf(this).length = value; return;
    }
    if (!name.includes('.')) {
      this.variables[name] = value;
      return;
    }
  }
  generalSet.call(this, name, value, resolveUp);
}

/** Puts the quick `Frame.set` in Nunjucks' runtime (the same for every environment; installing it twice changes nothing). */
export function useQuickLoopVariables(): void {
  frameClass.prototype.set = quickSet;
}
