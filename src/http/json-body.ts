import { isRecord, isStorableText } from '../common/json-values';

// DECISION: `prototype` and the names every object inherits are refused: Nest's ValidationPipe and class-transformer
// would drop them without a word, and none is a field of any body.
const INHERITED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Text the database cannot store (NUL, lone surrogates) and names of Object members, at any depth, by path. */
export function bodyProblems(body: unknown): string[] {
  const problems: string[] = [];
  collectProblems(body, '', problems, { kind: 'field', inheritedNames: true });
  return problems;
}

export function unstorableTextIn(values: unknown, kind: 'query parameter' | 'path parameter'): string[] {
  const problems: string[] = [];
  collectProblems(values, '', problems, { kind, inheritedNames: false });
  return problems;
}

interface Checks {
  kind: string;
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
