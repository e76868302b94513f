import { Parser, type Template, type TopLevelToken } from 'liquidjs';

/** Marks liquidjs's parseTokens once it is made linear, so it is never wrapped twice. */
const LINEAR = Symbol('linear parseTokens');

/**
 * A template's tokens as liquidjs's parser and tags take them: from the front, one at a time
 * (`shift`), while `length` says how many are left. Each step costs the same however many tokens
 * there are; an array's `shift` moves every token after the first once the array is past V8's
 * quick case (some 16,000 tokens), which made parsing a post's Liquid take time in the square of
 * its markup: a post of 200,000 tokens (`{{ a }} ` 100,000 times, 600 KB) took 18 s to build.
 */
class TokenQueue {
  private taken = 0;

  constructor(private readonly tokens: TopLevelToken[]) {}

  get length(): number {
    return this.tokens.length - this.taken;
  }

  shift(): TopLevelToken | undefined {
    return this.taken < this.tokens.length ? this.tokens[this.taken++] : undefined;
  }

  /** How many tokens were taken from the front. */
  get consumed(): number {
    return this.taken;
  }
}

/**
 * Makes liquidjs parse each template in time linear in its tokens: every template's tokens reach
 * the parser (and through it each tag's `remainTokens`) as a TokenQueue, and the array they came
 * in is left as an array's shifts would leave it. liquidjs makes a Parser of its own for each
 * template, include and layout, so it is its Parser class that is changed, the first time this is
 * called (the only change it makes is the time parsing takes; calling it again changes nothing).
 */
export function parseInLinearTime(): void {
  const parseTokens: (this: Parser, tokens: TopLevelToken[]) => Template[] = Parser.prototype.parseTokens;
  if (LINEAR in parseTokens) return;
  const linear = function (this: Parser, tokens: TopLevelToken[]): Template[] {
    if (tokens instanceof TokenQueue) return parseTokens.call(this, tokens);
    const queue = new TokenQueue(tokens);
    try {
      return parseTokens.call(this, queue as unknown as TopLevelToken[]);
    } finally {
      tokens.splice(0, queue.consumed);
    }
  };
  Parser.prototype.parseTokens = Object.assign(linear, { [LINEAR]: true });
}
