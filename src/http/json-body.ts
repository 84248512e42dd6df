import { isRecord, isStorableText } from '../common/json-values';

/** Names every object inherits (constructor, toString, ...): as a field name they are unknown fields, not members. */
const OBJECT_MEMBER_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * What a parsed body holds that no field may: text the database cannot store (NUL, lone surrogates), in a value
 * or a field name, named by its path; and a top-level field named like an Object member, which the validators
 * would not see as unknown.
 */
export function bodyProblems(body: unknown): string[] {
  const problems: string[] = [];
  if (isRecord(body)) {
    for (const name of Object.keys(body)) if (OBJECT_MEMBER_NAMES.has(name)) problems.push(`property ${name} should not exist`);
  }
  collectUnstorableText(body, '', problems);
  return problems;
}

/** The same check for a query string or path parameters (flat, or arrays of values). */
export function unstorableTextIn(values: unknown, kind: 'query parameter' | 'path parameter'): string[] {
  const problems: string[] = [];
  collectUnstorableText(values, '', problems, kind);
  return problems;
}

function collectUnstorableText(value: unknown, path: string, problems: string[], kind = 'field'): void {
  const unstorable = (where: string) => problems.push(`${kind} ${where} holds a NUL character or broken Unicode`);
  if (typeof value === 'string') {
    if (!isStorableText(value)) unstorable(path || '(the body)');
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => collectUnstorableText(item, `${path}[${index}]`, problems, kind));
  } else if (isRecord(value)) {
    for (const [name, item] of Object.entries(value)) {
      const itemPath = path === '' ? name : `${path}.${name}`;
      if (!isStorableText(name)) unstorable(`name ${JSON.stringify(itemPath)}`);
      else collectUnstorableText(item, itemPath, problems, kind);
    }
  }
}
