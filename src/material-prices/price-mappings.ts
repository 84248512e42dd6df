import { isRecord, isStorableText } from '../common/json-values';
import type { PriceMappingKind } from '../database/entities';
import { checkMaterialKey, type KeyCheck } from '../material-keys/material-key-check';
import { SUPPLIER_NAME_MAX_LENGTH, supplierKey, supplierNameProblem } from './supplier-name';

export interface MappingEntry {
  kind: PriceMappingKind;
  matchText: string;
  matchKey: string;
  target: string | null;
}

export function descriptionKey(description: string): string {
  return description.trim().toLowerCase();
}

const SECTIONS = ['suppliers', 'materials', 'ignore'] as const;
export const MATCH_TEXT_MAX_LENGTH = 512;

/** A supplier alias cannot point at a name that is itself aliased in the same document. */
export function parseMappingDocument(value: unknown): { entries: MappingEntry[] } | { problems: string[] } {
  if (!isRecord(value)) return { problems: ['the mappings must be an object with "suppliers", "materials" and "ignore"'] };
  const problems: string[] = [];
  for (const name of Object.keys(value)) {
    if (!(SECTIONS as readonly string[]).includes(name))
      problems.push(`unknown section ${JSON.stringify(name)} (the sections are ${SECTIONS.join(', ')})`);
  }
  const entries: MappingEntry[] = [];
  const seen = new Map<string, string>();
  const add = (entry: MappingEntry, label: string) => {
    const identity = identityOf(entry);
    const earlier = seen.get(identity);
    if (earlier !== undefined) return problems.push(`${label}: the same text as ${earlier}`);
    seen.set(identity, label);
    entries.push(entry);
  };

  for (const [from, to] of objectSection(value, 'suppliers', problems)) {
    const label = `suppliers[${JSON.stringify(from)}]`;
    const problem =
      textProblem(from, MATCH_TEXT_MAX_LENGTH) ?? supplierNameProblem(from, MATCH_TEXT_MAX_LENGTH) ?? supplierTargetProblem(to);
    if (problem) problems.push(`${label}: ${problem}`);
    else add({ kind: 'supplier', matchText: from.trim(), matchKey: supplierKey(from), target: (to as string).trim() }, label);
  }
  for (const [description, target] of objectSection(value, 'materials', problems)) {
    const label = `materials[${JSON.stringify(description)}]`;
    const problem = descriptionProblem(description) ?? (typeof target === 'string' ? null : 'the material key must be text');
    const checked = problem === null ? checkMaterialKey(target as string) : null;
    const targetProblem = problem ?? materialTargetProblem(target as string, checked!);
    if (targetProblem) problems.push(`${label}: ${targetProblem}`);
    else
      add(
        {
          kind: 'material',
          matchText: description.trim(),
          matchKey: descriptionKey(description),
          target: (checked as { key: string }).key,
        },
        label,
      );
  }
  const ignore = value.ignore ?? [];
  if (!Array.isArray(ignore)) problems.push('ignore must be a list of descriptions');
  else {
    ignore.forEach((description: unknown, index) => {
      const label = `ignore[${index}]`;
      const problem = typeof description === 'string' ? descriptionProblem(description) : 'a description must be text';
      if (problem) problems.push(`${label}: ${problem}`);
      else
        add(
          { kind: 'ignore', matchText: (description as string).trim(), matchKey: descriptionKey(description as string), target: null },
          label,
        );
    });
  }

  const aliased = new Set(entries.filter((entry) => entry.kind === 'supplier').map((entry) => entry.matchKey));
  for (const entry of entries) {
    if (
      entry.kind === 'supplier' &&
      entry.target !== null &&
      supplierKey(entry.target) !== entry.matchKey &&
      aliased.has(supplierKey(entry.target))
    ) {
      problems.push(
        `suppliers[${JSON.stringify(entry.matchText)}]: ${JSON.stringify(entry.target)} is itself aliased; point the alias at the final name`,
      );
    }
  }
  return problems.length > 0 ? { problems } : { entries };
}

export interface MappingDocument {
  suppliers: Record<string, string>;
  materials: Record<string, string>;
  ignore: string[];
}

export function mappingDocumentOf(entries: readonly MappingEntry[]): MappingDocument {
  const document: MappingDocument = { suppliers: {}, materials: {}, ignore: [] };
  for (const entry of entries) {
    if (entry.kind === 'supplier') document.suppliers[entry.matchText] = entry.target!;
    else if (entry.kind === 'material') document.materials[entry.matchText] = entry.target!;
    else document.ignore.push(entry.matchText);
  }
  return document;
}

function identityOf(entry: MappingEntry): string {
  return `${entry.kind === 'supplier' ? 'supplier' : 'description'}:${entry.matchKey}`;
}

const SECTION_OF_KIND: Record<PriceMappingKind, (typeof SECTIONS)[number]> = {
  supplier: 'suppliers',
  material: 'materials',
  ignore: 'ignore',
};
/** Circles named in one refusal, and keys named of each circle; the rest are counted. */
const CIRCLES_NAMED = 20;
const CIRCLE_KEYS_NAMED = 4;

function tooMany(section: string, count: number, maxEntries: number): string {
  return `${section} would hold ${count.toLocaleString('en-US')} entries, more than the ${maxEntries.toLocaleString('en-US')} MAPPINGS_MAX_ENTRIES allows`;
}

/** Counted before any entry is checked, since a merge can only hold more. */
export function oversizedSections(document: unknown, maxEntries: number): string[] {
  if (!isRecord(document)) return [];
  return SECTIONS.flatMap((section) => {
    const value = document[section];
    const count = Array.isArray(value) ? value.length : isRecord(value) ? Object.keys(value).length : 0;
    return count > maxEntries ? [tooMany(section, count, maxEntries)] : [];
  });
}

export type MergedMappings = { entries: MappingEntry[]; changed: MappingEntry[] } | { refused: 'too_many' | 'circles'; problems: string[] };

/** Every supplier alias is re-pointed at the end of its chain, so a lookup is one step. */
export function mergeMappingEntries(
  stored: readonly MappingEntry[],
  incoming: readonly MappingEntry[],
  maxEntries: number,
): MergedMappings {
  const merged = new Map<string, MappingEntry>();
  for (const entry of [...stored, ...incoming]) merged.set(identityOf(entry), entry);
  if (incoming.length > 0) {
    const counts = new Map<string, number>();
    for (const entry of merged.values()) counts.set(SECTION_OF_KIND[entry.kind], (counts.get(SECTION_OF_KIND[entry.kind]) ?? 0) + 1);
    const problems = [...counts].filter(([, count]) => count > maxEntries).map(([section, count]) => tooMany(section, count, maxEntries));
    if (problems.length > 0) return { refused: 'too_many', problems };
  }

  const aliases = new Map<string, string>();
  for (const entry of merged.values()) if (entry.kind === 'supplier') aliases.set(entry.matchKey, entry.target!);
  const { finalNames, circles } = flattenSupplierAliases(aliases);
  if (circles.length > 0) return { refused: 'circles', problems: describeCircles(circles) };

  const changed = new Set(incoming.map(identityOf));
  const entries = [...merged.values()].map((entry) => {
    const finalName = entry.kind === 'supplier' ? finalNames.get(entry.matchKey)! : entry.target;
    if (finalName === entry.target) return entry;
    changed.add(identityOf(entry));
    return { ...entry, target: finalName };
  });
  return { entries, changed: entries.filter((entry) => changed.has(identityOf(entry))) };
}

export interface FlattenedAliases {
  finalNames: Map<string, string | null>;
  circles: string[][];
}

/** One pass: a walk stops at the first key already resolved, so each alias is looked up about twice at most. */
export function flattenSupplierAliases(aliases: ReadonlyMap<string, string>): FlattenedAliases {
  const finalNames = new Map<string, string | null>();
  const circles: string[][] = [];
  for (const [start, startTarget] of aliases) {
    if (finalNames.has(start)) continue;
    const path = new Map<string, number>();
    let key = start;
    let target = startTarget;
    let finalName: string | null = target;
    for (;;) {
      path.set(key, path.size);
      const next = supplierKey(target);
      if (next === key) break;
      const known = finalNames.get(next);
      if (known !== undefined) {
        finalName = known;
        break;
      }
      const seenAt = path.get(next);
      if (seenAt !== undefined) {
        circles.push([...path.keys()].slice(seenAt));
        finalName = null;
        break;
      }
      const nextTarget = aliases.get(next);
      if (nextTarget === undefined) break;
      key = next;
      target = nextTarget;
      finalName = target;
    }
    for (const walked of path.keys()) finalNames.set(walked, finalName);
  }
  return { finalNames, circles };
}

function describeCircles(circles: readonly string[][]): string[] {
  const named = circles.slice(0, CIRCLES_NAMED).map((circle) => {
    const [first] = circle;
    const steps = circle.slice(0, CIRCLE_KEYS_NAMED).map((key) => JSON.stringify(key));
    if (circle.length > CIRCLE_KEYS_NAMED) steps.push(`${(circle.length - CIRCLE_KEYS_NAMED).toLocaleString('en-US')} more`);
    return `the supplier aliases of ${JSON.stringify(first)} lead back to ${JSON.stringify(first)}: ${[...steps, JSON.stringify(first)].join(' -> ')}`;
  });
  if (circles.length > CIRCLES_NAMED)
    named.push(`and ${(circles.length - CIRCLES_NAMED).toLocaleString('en-US')} more circles of supplier aliases`);
  return named;
}

function objectSection(document: Record<string, unknown>, name: 'suppliers' | 'materials', problems: string[]): [string, unknown][] {
  const section = document[name];
  if (section === undefined || section === null) return [];
  if (!isRecord(section)) {
    problems.push(
      `${name} must be an object of {${name === 'suppliers' ? '"name as written": "supplier name"' : '"description": "material key"'}}`,
    );
    return [];
  }
  return Object.entries(section);
}

function supplierTargetProblem(name: unknown): string | null {
  if (typeof name !== 'string') return 'the supplier name must be text';
  const problem = textProblem(name, SUPPLIER_NAME_MAX_LENGTH) ?? supplierNameProblem(name);
  return problem && `the supplier name ${problem}`;
}

function descriptionProblem(description: string): string | null {
  // Case folding can lengthen text ("İ"), and the folded text is what is stored to compare.
  return (
    textProblem(description, MATCH_TEXT_MAX_LENGTH) ??
    (descriptionKey(description).length > MATCH_TEXT_MAX_LENGTH ? `is longer than ${MATCH_TEXT_MAX_LENGTH} characters` : null)
  );
}

function textProblem(text: string, maxLength: number): string | null {
  if (!isStorableText(text)) return 'holds a NUL character or broken Unicode';
  if (text.trim() === '') return 'is empty';
  if (text.trim().length > maxLength) return `is longer than ${maxLength} characters`;
  return null;
}

export interface MaterialMappingLookup {
  materialFor(description: string): { materialType: string } | 'ignore' | undefined;
}

export class MappingLookup implements MaterialMappingLookup {
  private readonly materials = new Map<string, { materialType: string } | 'ignore'>();
  private readonly aliases = new Map<string, string>();

  constructor(entries: readonly MappingEntry[]) {
    for (const entry of entries) {
      if (entry.kind === 'supplier') this.aliases.set(entry.matchKey, entry.target!);
      else this.materials.set(entry.matchKey, entry.kind === 'ignore' ? 'ignore' : { materialType: entry.target! });
    }
  }

  materialFor(description: string): { materialType: string } | 'ignore' | undefined {
    return this.materials.get(descriptionKey(description));
  }

  supplierName(name: string): string {
    return this.aliases.get(supplierKey(name)) ?? name;
  }

  supplierAliases(): [string, string][] {
    return [...this.aliases];
  }
}

/** The target the report's fixes carry: it fails the key grammar, so a fix pasted unedited can never load. */
export const MATERIAL_KEY_PLACEHOLDER = '<material key>';

function materialTargetProblem(target: string, checked: KeyCheck): string | null {
  if (target.trim() === MATERIAL_KEY_PLACEHOLDER)
    return `${JSON.stringify(target)} is the placeholder of a suggested fix: replace it with the material's key (data/README.md lists the key of every shape)`;
  if (checked.kind === 'malformed') return `${JSON.stringify(target)} is not a valid material key: ${checked.problem}`;
  if (checked.kind === 'unknown-family')
    return `${JSON.stringify(target)} is not a valid material key: it is of no known shape family (data/README.md lists the key of every shape)`;
  return null;
}
