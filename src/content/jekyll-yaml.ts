import { FAILSAFE_SCHEMA, Type, type Schema } from 'js-yaml';

// Plain scalars as Jekyll reads them (SafeYAML over Ruby's Psych, YAML 1.1), checked against
// Debian's jekyll: `no`, `Off` and `YES` are flags, `1,000` and `0x1F` numbers, `012` octal, `1:30`
// a count of seconds from hours (5400), while `1e3`, `0o17` and `y` stay text. Timestamps stay text,
// as on Recap's own sites (readYaml), so an impossible date cannot roll over.

const NULL = /^(?:~|null|)$/i;
const TRUE = /^(?:yes|true|on)$/i;
const FALSE = /^(?:no|false|off)$/i;
const DECIMAL = /^[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)$/;
const OCTAL = /^[-+]?0[0-7_,]+$/;
const HEX = /^[-+]?0x[0-9a-fA-F_,]+$/;
const BINARY = /^[-+]?0b[01_,]+$/;
const SEXAGESIMAL_INT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}$/;
const SEXAGESIMAL_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}\.[0-9_]*$/;
const FLOAT = /^[-+]?(?:[0-9][0-9_,]*)?\.[0-9]*(?:[eE][-+][0-9]+)?$/;
const INFINITE = /^[-+]?\.inf$/i;
const NAN = /^\.nan$/i;

/** Ruby's `to_i` of a part: its leading sign and digits, underscores between them skipped. */
function leadingInteger(text: string): number {
  const match = /^[-+]?[0-9][0-9_]*/.exec(text);
  return match ? Number(match[0].replace(/_/g, '')) : 0;
}

/** Psych's sum of `h:m:s` parts: the first part times 3600 (`1:30` is 5400), then 60, then 1; the sign of the first part only. */
function sexagesimal(text: string, last: (part: string) => number): number {
  const parts = text.split(':');
  return parts.reduce((sum, part, index) => sum + (index === parts.length - 1 ? last(part) : leadingInteger(part)) * 60 ** Math.abs(index - 2), 0);
}

/** An integer in one of the forms Ruby's YAML reads, or undefined; beyond JavaScript's exact integers, its digits as text (Ruby prints them as written). */
function integerOf(text: string): number | string | undefined {
  if (SEXAGESIMAL_INT.test(text)) return sexagesimal(text, leadingInteger);
  const sign = text.startsWith('-') ? -1 : 1;
  const unsigned = text.replace(/^[-+]/, '').replace(/[_,]/g, '');
  let value: number;
  if (HEX.test(text)) value = Number.parseInt(unsigned.slice(2), 16);
  else if (BINARY.test(text)) value = unsigned.length > 2 ? Number.parseInt(unsigned.slice(2), 2) : Number.NaN;
  else if (DECIMAL.test(text)) value = Number(unsigned);
  else if (OCTAL.test(text)) value = Number.parseInt(unsigned, 8);
  else return undefined;
  if (Number.isNaN(value)) return undefined;
  return Number.isSafeInteger(value) ? sign * value || 0 : text;
}

/** A float in one of the forms Ruby's YAML reads (a dot is needed, and a sign after an exponent's e), or undefined. */
function floatOf(text: string): number | undefined {
  if (INFINITE.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (NAN.test(text)) return Number.NaN;
  if (SEXAGESIMAL_FLOAT.test(text)) return sexagesimal(text, (part) => Number(part.replace(/_/g, '')));
  if (FLOAT.test(text) && /[0-9]/.test(text)) return Number(text.replace(/[_,]/g, '').replace(/\.(?=[eE]|$)/, ''));
  return undefined;
}

const nullType = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (text: string | null) => text === null || NULL.test(text),
  construct: () => null,
  predicate: (value: unknown) => value === null,
});

const boolType = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (text: string | null) => text !== null && (TRUE.test(text) || FALSE.test(text)),
  construct: (text: string) => TRUE.test(text),
  predicate: (value: unknown) => typeof value === 'boolean',
});

const intType = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (text: string | null) => text !== null && integerOf(text) !== undefined,
  construct: (text: string) => integerOf(text),
  predicate: (value: unknown) => typeof value === 'number' && Number.isInteger(value),
});

const floatType = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (text: string | null) => text !== null && floatOf(text) !== undefined,
  construct: (text: string) => floatOf(text),
  predicate: (value: unknown) => typeof value === 'number',
});

/** The schema a Jekyll site's front matter, `_config.yml` and `_data` files are read with: YAML 1.1's plain scalars as Jekyll reads them. */
export const JEKYLL_YAML_SCHEMA: Schema = FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, intType, floatType] });
