import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { jsonShapeBeyond } from '../common/json-values';
import { quoteInput } from '../common/quoted-input';
import { readCsvFile } from './csv-records';
import { describeValue } from './field-reader';
import { repeatedKeysByRecord } from './json-repeated-keys';
import { PriceLoadError } from './price-load.error';
import type { FileTerms, SourceFileContent, SourceRecord } from './source-records';
import { readWorkbookFile } from './workbook-records';

const JSON_FILE_MAX_DEPTH = 64;
const JSON_FILE_TERMS: FileTerms = { decimalStyles: [], dateFormats: ['iso'] };

export const MAPPINGS_FILE_NAME = 'mappings.json';

export const SOURCE_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

export function formatOfFileName(name: string): SourceFormat | null {
  const extension = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  return (SOURCE_FORMATS as readonly string[]).includes(extension ?? '') ? (extension as SourceFormat) : null;
}

export type SourceFolder = { exists: false } | { exists: true; files: string[]; ignored: string[]; mappingsFile: string | null };

export async function listSourceFiles(directory: string): Promise<SourceFolder> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false };
    throw new PriceLoadError(`Cannot read the folder ${directory}: ${(error as Error).message}`);
  }
  const files: string[] = [];
  const ignored: string[] = [];
  let mappingsFile: string | null = null;
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const isFile = await stat(join(directory, name)).then(
      (entry) => entry.isFile(),
      () => false,
    );
    if (!isFile) continue;
    if (name.toLowerCase() === MAPPINGS_FILE_NAME) mappingsFile = name;
    else (formatOfFileName(name) !== null ? files : ignored).push(name);
  }
  return { exists: true, files, ignored, mappingsFile };
}

export interface ReadLimits {
  xlsxMaxUncompressedBytes: number;
}

export async function readSourceFile(path: string, format: SourceFormat, limits: ReadLimits): Promise<SourceFileContent> {
  if (format === 'xlsx') return readWorkbookFile(path, limits.xlsxMaxUncompressedBytes);
  return format === 'csv' ? readCsvFile(path) : readJsonRecords(path);
}

async function readJsonRecords(path: string): Promise<SourceFileContent> {
  const parsed = await readJsonFile(path);
  if ('problem' in parsed) return parsed;
  const repeated = repeatedKeysByRecord(parsed.text);
  const values = Array.isArray(parsed.value)
    ? parsed.value
    : typeof parsed.value === 'object' && parsed.value !== null
      ? [parsed.value]
      : null;
  if (values === null) return { problem: `holds ${describeValue(parsed.value)}, not a record or a list of records` };
  return {
    records: (async function* (): AsyncGenerator<SourceRecord> {
      for (const [index, value] of values.entries()) {
        const key = repeated.get(index);
        yield key === undefined ? { value } : { value, problem: `the key ${quoteInput(key)} is given twice in one object: say it once` };
      }
    })(),
    terms: JSON_FILE_TERMS,
    warnings: [],
  };
}

export async function readJsonFile(path: string): Promise<{ value: unknown; text: string } | { problem: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { problem: `cannot be read: ${(error as Error).message}` };
  }
  const json = text.replace(/^\uFEFF/, '');
  // Parsing is fine with any depth; reading the records after it recurses, and no export nests this deep.
  if (jsonShapeBeyond(json, { maxDepth: JSON_FILE_MAX_DEPTH }))
    return { problem: `is nested deeper than ${JSON_FILE_MAX_DEPTH} levels, which no export is` };
  const parsed = parseJson(json);
  return 'value' in parsed ? { ...parsed, text: json } : parsed;
}

// Bare NaN and Infinity outside strings: what Python's json module writes for a missing or broken number.
const STRING_OR_NON_FINITE = /"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)/g;
const NON_FINITE_MARK = '\u0000non-finite:';

// DECISION: bare NaN and Infinity are read as numbers, so only the record holding one is rejected, not the file.
function parseJson(text: string): { value: unknown } | { problem: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (strictError) {
    try {
      const marked = text.replace(STRING_OR_NON_FINITE, (whole, nonFinite?: string) =>
        nonFinite ? JSON.stringify(NON_FINITE_MARK + nonFinite) : whole,
      );
      return {
        value: JSON.parse(marked, (_key, value: unknown) =>
          typeof value === 'string' && value.startsWith(NON_FINITE_MARK) ? Number(value.slice(NON_FINITE_MARK.length)) : value,
        ) as unknown,
      };
    } catch {
      return { problem: `is not valid JSON: ${describeJsonError(strictError as Error, text)}` };
    }
  }
}

function describeJsonError(error: Error, text: string): string {
  const position = /at position (\d+)/.exec(error.message);
  const message = error.message.replace(/\s*in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
  if (!position) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}
