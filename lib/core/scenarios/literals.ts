/**
 * Code literals for values that came from logs (paths, query keys, parameter values): the only way
 * such text enters a generated script. Every string goes through JSON escaping, so a hostile value
 * such as `"); import os; os.system("x") #` or `${process.exit()}` stays an inert string literal.
 */

export type Literal = string | number | boolean | null | readonly Literal[] | { readonly [key: string]: Literal };

/**
 * A JavaScript expression for `value`: JSON-escaped strings, with flat objects and arrays kept on
 * one line and nested ones indented by `indent` spaces (0: all on one line).
 */
export function jsLiteral(value: Literal, indent = 0): string {
  return format(value, indent, 0, { str: jsString, nil: 'null', yes: 'true', no: 'false', trailing: ',' });
}

/** A one-line JS string literal. */
export function jsString(text: string): string {
  return escapeJs(JSON.stringify(text));
}

function escapeJs(json: string): string {
  return json.replace(/[\u2028\u2029<]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A Python expression for `value`. JSON string escapes (\" \\ \n \uXXXX ...) mean the same in a
 * Python "..." literal, so strings reuse JSON's escaping; constants map to True/False/None.
 */
export function pyLiteral(value: Literal, indent = 0): string {
  return format(value, indent, 0, { str: pyString, nil: 'None', yes: 'True', no: 'False', trailing: ',' });
}

interface Syntax {
  readonly str: (s: string) => string;
  readonly nil: string;
  readonly yes: string;
  readonly no: string;
  readonly trailing: string;
}

function format(value: Literal, indent: number, depth: number, syn: Syntax): string {
  if (value === null) return syn.nil;
  if (typeof value === 'boolean') return value ? syn.yes : syn.no;
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : '0';
  if (typeof value === 'string') return syn.str(value);
  const isArray = Array.isArray(value);
  const entries: [string | undefined, Literal][] = isArray
    ? (value as readonly Literal[]).map((v) => [undefined, v])
    : Object.entries(value as { readonly [key: string]: Literal });
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return `${open}${close}`;
  const item = ([k, v]: [string | undefined, Literal], d: number): string =>
    `${k === undefined ? '' : `${syn.str(k)}: `}${format(v, indent, d, syn)}`;
  const flat = entries.every(([, v]) => v === null || typeof v !== 'object' || isFlat(v));
  if (indent === 0 || flat) {
    const inner = entries.map((e) => item(e, depth)).join(', ');
    return isArray ? `${open}${inner}${close}` : `${open} ${inner} ${close}`.replace('{  }', '{}');
  }
  const pad = ' '.repeat(indent * (depth + 1));
  const lines = entries.map((e) => `${pad}${item(e, depth + 1)}${syn.trailing}`);
  return `${open}\n${lines.join('\n')}\n${' '.repeat(indent * depth)}${close}`;
}

/** Arrays of scalars count as flat (tables such as quantiles); objects never do inside others. */
function isFlat(v: Literal): boolean {
  return Array.isArray(v) && (v as readonly Literal[]).every((x) => x === null || typeof x !== 'object');
}

/** A one-line Python string literal. */
export function pyString(text: string): string {
  return JSON.stringify(text);
}

/** Text safe inside a `#` or `//` line comment: no line breaks, no control characters. */
export function commentText(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
}
