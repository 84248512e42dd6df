import { isRecord, isStorableText } from '../common/json-values';

// DECISION: `prototype` is refused with the names every object inherits (constructor, toString, ...): Nest's
// ValidationPipe deletes it at any depth (as it does constructor and __proto__), and class-transformer skips the
// others, so each would be dropped without a word. None is a field of any body.
const INHERITED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * What a parsed body holds that no field may: text the database cannot store (NUL, lone surrogates), in a value
 * or a field name, and a field named like an Object member, at any depth; each named by its path.
 */
export function bodyProblems(body: unknown): string[] {
  const problems: string[] = [];
  collectProblems(body, '', problems, { kind: 'field', inheritedNames: true });
  return problems;
}

/** The text check for a query string or path parameters (flat, or arrays of values). */
export function unstorableTextIn(values: unknown, kind: 'query parameter' | 'path parameter'): string[] {
  const problems: string[] = [];
  collectProblems(values, '', problems, { kind, inheritedNames: false });
  return problems;
}

interface Checks {
  kind: string;
  /** Refuse the names of INHERITED_NAMES. */
  inheritedNames: boolean;
}

function collectProblems(value: unknown, path: string, problems: string[], checks: Checks): void {
  const unstorable = (where: string) => problems.push(`${checks.kind} ${where} holds a NUL character or broken Unicode`);
  if (typeof value === 'string') {
    if (!isStorableText(value)) unstorable(path || '(the body)');
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => collectProblems(item, `${path}[${index}]`, problems, checks));
  } else if (isRecord(value)) {
    for (const [name, item] of Object.entries(value)) {
      const itemPath = path === '' ? name : `${path}.${name}`;
      if (!isStorableText(name)) unstorable(`name ${JSON.stringify(itemPath)}`);
      else if (checks.inheritedNames && INHERITED_NAMES.has(name)) problems.push(`property ${itemPath} should not exist`);
      else collectProblems(item, itemPath, problems, checks);
    }
  }
}
