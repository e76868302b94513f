import { isDiagnosticCode } from './diagnostic-codes.js';
/** True when a value read from a file (a cache, a build record) has a diagnostic's shape: such files are untrusted. */
export function isValidDiagnostic(value) {
    const d = value;
    return d !== null && typeof d === 'object' && typeof d.message === 'string' && typeof d.file === 'string' && typeof d.code === 'string' && isDiagnosticCode(d.code)
        && (d.severity === 'error' || d.severity === 'warning' || d.severity === 'note')
        && [d.line, d.column].every((n) => n === undefined || (Number.isInteger(n) && n >= 0)) && (d.hint === undefined || typeof d.hint === 'string');
}
/** Collects diagnostics during a build instead of throwing them. */
export class Diagnostics {
    list = [];
    /** Records a diagnostic. */
    add(diagnostic) {
        this.list.push(diagnostic);
    }
    /** Records an error. */
    error(code, file, line, column, message, hint) {
        this.add({ code, severity: 'error', file, line, column, message, hint });
    }
    /** Records a warning. */
    warning(code, file, line, column, message, hint) {
        this.add({ code, severity: 'warning', file, line, column, message, hint });
    }
    /** Records a note (never fails a build). */
    note(code, file, line, column, message, hint) {
        this.add({ code, severity: 'note', file, line, column, message, hint });
    }
    /** Drops the warnings and notes whose codes the site silenced (`silence:` in recap.yml); errors always stay. */
    silence(codes) {
        if (codes.size === 0)
            return;
        const kept = this.list.filter((d) => d.severity === 'error' || !codes.has(d.code));
        this.list.splice(0, this.list.length, ...kept);
    }
    /** Appends every diagnostic of another collector. */
    merge(other) {
        this.list.push(...other.list);
    }
    /** Number of diagnostics with the given severity. */
    count(severity) {
        let n = 0;
        for (const d of this.list)
            if (d.severity === severity)
                n++;
        return n;
    }
    /** Diagnostics in a stable order: by file, then line, then column. */
    sorted() {
        return [...this.list].sort(compareDiagnostics);
    }
}
function compareDiagnostics(a, b) {
    if (a.file !== b.file)
        return a.file < b.file ? -1 : 1;
    const line = (a.line ?? 0) - (b.line ?? 0);
    if (line !== 0)
        return line;
    return (a.column ?? 0) - (b.column ?? 0);
}
/** Formats a diagnostic as `file:line:col severity: message [CODE]` plus an indented hint line. */
export function formatDiagnostic(d) {
    let where = d.file;
    if (d.line !== undefined) {
        where += `:${d.line}`;
        if (d.column !== undefined)
            where += `:${d.column}`;
    }
    const head = `${where} ${d.severity}: ${d.message} [${d.code}]`;
    return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}
/** An error the user caused, carrying a diagnostic instead of a stack trace. */
export class UserError extends Error {
    diagnostic;
    constructor(diagnostic) {
        super(diagnostic.message);
        this.diagnostic = diagnostic;
    }
}
