import { isRecord, isStorableText } from '../common/json-values';
import type { PriceMappingKind } from '../database/entities';
import { checkMaterialKey } from '../material-keys/material-key-check';
import { SUPPLIER_NAME_MAX_LENGTH, supplierKey, supplierNameProblem } from './supplier-name';

/** One entry of a document as it is stored: what it matches (as written, and as compared) and its target. */
export interface MappingEntry {
  kind: PriceMappingKind;
  matchText: string;
  matchKey: string;
  target: string | null;
}

/** A description matches a mapping exactly after trimming and case folding. */
export function descriptionKey(description: string): string {
  return description.trim().toLowerCase();
}

const SECTIONS = ['suppliers', 'materials', 'ignore'] as const;
export const MATCH_TEXT_MAX_LENGTH = 512;

/**
 * Validates a whole mapping document, as mappings.json carries it, into entries:
 * `{ "suppliers": { "Osorio Metals Supply Inc.": "Osorio" }, "materials": { "Flat Bar 1/2\" x": "flat_bar_4x0.5" },
 *    "ignore": [ "Tubing - Round 4\" OD x sch 40" ] }`. Every problem names its entry, so the owner can fix the file:
 * a material target must be a valid key (stored in its normal spelling); a description cannot be both mapped and
 * ignored; a supplier alias cannot point at a name that is itself aliased.
 */
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
    const identity = `${entry.kind === 'supplier' ? 'supplier' : 'description'}:${entry.matchKey}`;
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
    if (problem) problems.push(`${label}: ${problem}`);
    else if (checked!.kind === 'malformed')
      problems.push(`${label}: ${JSON.stringify(target)} is not a valid material key: ${checked!.problem}`);
    else add({ kind: 'material', matchText: description.trim(), matchKey: descriptionKey(description), target: checked!.key }, label);
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

/** The mapping document of stored entries, as an owner writes it (the inverse of parseMappingDocument). */
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

/**
 * Aliases that lead back to where they started (A to B, B to A): one document cannot hold them, but a document's
 * entries merged into the stored ones can.
 */
export function aliasCycles(entries: readonly MappingEntry[]): string[] {
  const aliases = new Map(entries.filter((entry) => entry.kind === 'supplier').map((entry) => [entry.matchKey, entry.target!]));
  const cycles: string[] = [];
  for (const [start, target] of aliases) {
    const visited = new Set([start]);
    for (let key = supplierKey(target); aliases.has(key); key = supplierKey(aliases.get(key)!)) {
      if (visited.has(key)) {
        cycles.push(`the supplier aliases of "${start}" lead back to "${key}"`);
        break;
      }
      visited.add(key);
    }
  }
  return cycles;
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

/** How the owner's mappings read a description: a material key, or a description to skip. */
export interface MaterialMappingLookup {
  materialFor(description: string): { materialType: string } | 'ignore' | undefined;
}

/** What one scope's mappings say about incoming descriptions and supplier names. */
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

  /** The supplier name the aliases lead `name` to (stored entries may chain), else `name` itself. */
  supplierName(name: string): string {
    const visited = new Set<string>();
    let current = name;
    for (let key = supplierKey(current); this.aliases.has(key) && !visited.has(key); key = supplierKey(current)) {
      visited.add(key);
      current = this.aliases.get(key)!;
    }
    return current;
  }

  /** The aliases, as (the aliased key, the target name). */
  supplierAliases(): [string, string][] {
    return [...this.aliases];
  }
}
