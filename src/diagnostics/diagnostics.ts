import { isDiagnosticCode, type DiagnosticCode } from './diagnostic-codes.js';

/** Severity of a diagnostic: errors fail the build, warnings only under --strict. */
export type Severity = 'error' | 'warning' | 'note';

/** Every severity, most severe first. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'note'];

/** How many diagnostics of each severity there are. */
export type SeverityCounts = Record<Severity, number>;

/** One problem found in the input, located like a compiler message. */
export interface Diagnostic {
  /** What kind of problem it is, stable across versions (see diagnostic-codes.ts). */
  code: DiagnosticCode;
  severity: Severity;
  /** Site-relative path with forward slashes, e.g. `posts/2024-03-06-x.md`. */
  file: string;
  line?: number;
  column?: number;
  message: string;
  hint?: string;
}

/** Where a character of a text is, by its index: the 1-based line and column a report names. */
export function positionIn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  return { line: before.split('\n').length, column: index - before.lastIndexOf('\n') };
}

/** True when a value read from a file (a cache, a build record) has a diagnostic's shape: such files are untrusted. */
export function isValidDiagnostic(value: unknown): value is Diagnostic {
  const d = value as Partial<Diagnostic> | null;
  return d !== null && typeof d === 'object' && typeof d.message === 'string' && typeof d.file === 'string' && typeof d.code === 'string' && isDiagnosticCode(d.code)
    && SEVERITIES.includes(d.severity as Severity)
    && [d.line, d.column].every((n) => n === undefined || (Number.isInteger(n) && n! >= 0)) && (d.hint === undefined || typeof d.hint === 'string');
}

/** A list's diagnostics counted by severity. */
export function countSeverities(diagnostics: readonly Diagnostic[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, note: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}

/**
 * A problem that stops a build on Recap's own sites, as a warning that says what was done instead
 * (`outcome`, such as "left out, as Jekyll leaves it out") where the build goes on: a Jekyll
 * site's, which Jekyll builds anyway.
 */
export function goneOnWith(diagnostic: Diagnostic, outcome: string): Diagnostic {
  return { ...diagnostic, severity: 'warning', message: `${diagnostic.message}: ${outcome}` };
}

/** Collects diagnostics during a build instead of throwing them. */
export class Diagnostics {
  readonly list: Diagnostic[] = [];

  /** Records a diagnostic. */
  add(diagnostic: Diagnostic): void {
    this.list.push(diagnostic);
  }

  /** Records an error. */
  error(code: DiagnosticCode, file: string, line: number | undefined, column: number | undefined, message: string, hint?: string): void {
    this.add({ code, severity: 'error', file, line, column, message, hint });
  }

  /** Records a warning. */
  warning(code: DiagnosticCode, file: string, line: number | undefined, column: number | undefined, message: string, hint?: string): void {
    this.add({ code, severity: 'warning', file, line, column, message, hint });
  }

  /** Records an error, or where `goesOn` (a Jekyll site, which Jekyll builds anyway) a warning that says what was done instead (see goneOnWith). */
  problem(goesOn: boolean, code: DiagnosticCode, file: string, line: number | undefined, column: number | undefined, message: string, outcome: string, hint?: string): void {
    const diagnostic: Diagnostic = { code, severity: 'error', file, line, column, message, hint };
    this.add(goesOn ? goneOnWith(diagnostic, outcome) : diagnostic);
  }

  /** Records a note (never fails a build). */
  note(code: DiagnosticCode, file: string, line: number | undefined, column: number | undefined, message: string, hint?: string): void {
    this.add({ code, severity: 'note', file, line, column, message, hint });
  }

  /** Drops the warnings and notes whose codes the site silenced (`silence:` in recap.yml); errors always stay. */
  silence(codes: ReadonlySet<string>): void {
    if (codes.size === 0) return;
    const kept = this.list.filter((d) => d.severity === 'error' || !codes.has(d.code));
    this.list.length = 0;
    this.addAll(kept);
  }

  /** Appends every diagnostic of another collector. */
  merge(other: Diagnostics): void {
    this.addAll(other.list);
  }

  /**
   * Appends diagnostics one by one: a list spread into push() as arguments overflows the stack
   * past ~100,000 of them (a Jekyll loop of 150,000 images without alt made as many warnings).
   */
  addAll(diagnostics: readonly Diagnostic[]): void {
    for (const diagnostic of diagnostics) this.list.push(diagnostic);
  }

  /** Number of diagnostics with the given severity. */
  count(severity: Severity): number {
    let n = 0;
    for (const d of this.list) if (d.severity === severity) n++;
    return n;
  }

  /** Diagnostics in a stable order: by file, then line, then column. */
  sorted(): Diagnostic[] {
    return [...this.list].sort(compareDiagnostics);
  }
}

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  const line = (a.line ?? 0) - (b.line ?? 0);
  if (line !== 0) return line;
  return (a.column ?? 0) - (b.column ?? 0);
}

/** Formats a diagnostic as `file:line:col severity: message [CODE]` plus an indented hint line. */
export function formatDiagnostic(d: Diagnostic): string {
  let where = oneLine(d.file);
  if (d.line !== undefined) {
    where += `:${d.line}`;
    if (d.column !== undefined) where += `:${d.column}`;
  }
  const head = `${where} ${d.severity}: ${oneLine(d.message)} [${d.code}]`;
  return d.hint ? `${head}\n  hint: ${oneLine(d.hint)}` : head;
}

const LINE_BREAK_ESCAPES: Readonly<Record<string, string>> = { '\r\n': '\\r\\n', '\n': '\\n', '\r': '\\r', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** A report's text on one line: a line break in what it quotes (a file name, a setting, a title) is shown escaped, never as the start of what would read as another report. */
function oneLine(text: string): string {
  return text.replace(/\r\n|[\n\r\u2028\u2029]/g, (brk) => LINE_BREAK_ESCAPES[brk]!);
}

/** An error the user caused, carrying a diagnostic instead of a stack trace. */
export class UserError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}
