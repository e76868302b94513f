/**
 * Numbers as Ruby's Liquid computes with them for Jekyll (Liquid::Utils.to_number): a Float, or
 * text of the form `-1.5`, is a BigDecimal, so `0.1 | plus: 0.2` is 0.3 and `1.1 | times: 3` is 3.3,
 * where JavaScript's doubles give 0.30000000000000004 and 3.3000000000000003.
 */

/** An exact decimal: `digits` × 10^-`scale`. */
interface Decimal {
  digits: bigint;
  scale: number;
}

/** An operand as Liquid reads it: exact, and whether Ruby holds it as a decimal (else an Integer). */
interface Operand {
  value: Decimal;
  decimal: boolean;
}

/** Significant digits a quotient is worked out to before it becomes a double (BigDecimal's own precision is about this). */
const QUOTIENT_DIGITS = 20;

/** Decimal text up to this long is taken exactly, as BigDecimal takes it (a double holds 17 significant digits). */
const MAX_EXACT_TEXT = 40;

const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:e([-+]?\d+))?$/i;

/** The exact value of decimal text (`-12.5`, `1e-7`, as Number's toString writes them). */
function parseDecimal(text: string): Decimal | undefined {
  const match = DECIMAL_TEXT.exec(text);
  if (!match) return undefined;
  const fraction = match[3] ?? '';
  const scale = fraction.length - Number(match[4] ?? 0);
  const digits = BigInt(`${match[1]}${match[2]}${fraction}`);
  return scale >= 0 ? { digits, scale } : { digits: digits * 10n ** BigInt(-scale), scale: 0 };
}

/** Ruby's String#to_i: the integer the text starts with (after white space), else 0. */
function leadingInteger(text: string): number {
  const match = /^\s*([-+]?\d+)/.exec(text);
  return match ? Number(match[1]) : 0;
}

/** Liquid::Utils.to_number: a number as it is, decimal text as a BigDecimal, other text as String#to_i, anything else 0. */
function operand(value: unknown): Operand {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return { value: parseDecimal(String(value))!, decimal: !Number.isInteger(value) };
  }
  if (typeof value === 'string') {
    const text = value.trim();
    // Longer text is read as the nearest double: its digits stay few, so a post's megabyte of them costs no more than a number.
    if (/^-?\d+\.\d+$/.test(text)) return { value: parseDecimal(text.length <= MAX_EXACT_TEXT ? text : String(Number(text)))!, decimal: true };
    return { value: parseDecimal(String(leadingInteger(value)))!, decimal: false };
  }
  return { value: { digits: 0n, scale: 0 }, decimal: false };
}

/** Both decimals at the larger scale, so their digits add, subtract and compare. */
function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.digits * 10n ** BigInt(scale - a.scale), b.digits * 10n ** BigInt(scale - b.scale), scale];
}

/** Division rounded toward minus infinity, as Ruby's Integer#/ and #% take it. */
function floorDivide(a: bigint, b: bigint): bigint {
  const quotient = a / b;
  return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? quotient - 1n : quotient;
}

function toNumber(value: Decimal): number {
  return Number(`${value.digits}e${-value.scale}`);
}

/** The five arithmetic filters of Liquid. */
export type RubyOperation = 'plus' | 'minus' | 'times' | 'divided_by' | 'modulo';

/**
 * `input | operation: argument` as Ruby's Liquid computes it (apply_operation), or undefined for a
 * division by zero, which stays liquidjs's to report. `argumentWrittenAsFloat`: the argument is a
 * literal with a point or an exponent. Integer operands give Ruby's integer results
 * (floored division and modulo); a decimal one gives the BigDecimal result as a double.
 */
export function rubyArithmetic(operation: RubyOperation, input: unknown, argument: unknown, argumentWrittenAsFloat = false): number | undefined {
  const a = operand(input);
  const b = operand(argument);
  // `divided_by: 200.0`, the idiom for a fraction, is a Float in Ruby, though 200 in JavaScript.
  if (argumentWrittenAsFloat) b.decimal = true;
  const [x, y, scale] = aligned(a.value, b.value);
  switch (operation) {
    case 'plus':
      return toNumber({ digits: x + y, scale });
    case 'minus':
      return toNumber({ digits: x - y, scale });
    case 'times':
      return toNumber({ digits: a.value.digits * b.value.digits, scale: a.value.scale + b.value.scale });
    case 'modulo':
      if (y === 0n) return undefined;
      return toNumber({ digits: x - y * floorDivide(x, y), scale });
    case 'divided_by': {
      if (y === 0n) return undefined;
      if (!a.decimal && !b.decimal) return toNumber({ digits: floorDivide(x, y), scale: 0 });
      // x / y to QUOTIENT_DIGITS significant digits: enough that the double nearest it is the quotient's.
      const shift = Math.max(0, QUOTIENT_DIGITS - (String(x < 0n ? -x : x).length - String(y < 0n ? -y : y).length));
      return toNumber({ digits: (x * 10n ** BigInt(shift)) / y, scale: shift });
    }
  }
}

/** Jekyll's `to_integer`: true is 1, false 0, anything else Ruby's to_i (`"3.7"` is 3, `"12 people"` 12, text without digits 0). */
export function rubyToInteger(value: unknown): number {
  if (value === true) return 1;
  if (value === false || value === null || value === undefined) return 0;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : 0;
  return leadingInteger(String(value));
}
