import { LRUCache } from 'lru-cache';

import { listQuoted, quoteInput } from '../common/quoted-input';
import { type Dimension, formatInches, type Measurements, profileOf, type Shape } from './material-key';

export type KeyCheck = { kind: 'known'; key: string } | { kind: 'unknown-family'; key: string } | { kind: 'malformed'; problem: string };

// Checking a key is the costliest step of reading a record, and an export names few materials across many records.
const recentChecks = new LRUCache<string, KeyCheck>({ max: 10_000 });

/** Answers the one normal spelling (`SQ_TUBE_2.0x11GA` is `sq_tube_2x11ga`); an unknown family is kept as typed. */
export function checkMaterialKey(text: string): KeyCheck {
  let check = recentChecks.get(text);
  if (check === undefined) {
    check = checkUncached(text);
    recentChecks.set(text, check);
  }
  return check;
}

function checkUncached(text: string): KeyCheck {
  const key = text.trim().toLowerCase();
  if (key === '') return malformed('the key is empty');
  if (!MATERIAL_KEY_PATTERN.test(key)) return malformed(charactersProblem(key));
  if (key.length > MATERIAL_KEY_MAX_LENGTH) return malformed(`the key is longer than ${MATERIAL_KEY_MAX_LENGTH} characters`);

  const match = FAMILY.exec(key);
  if (!match) return { kind: 'unknown-family', key };
  const [, alloy = '', familyName, rest = ''] = match;
  const shape = familyName as Shape;

  const measured = measure(shape, rest);
  if ('problem' in measured) return malformed(`${measured.problem}. ${expectedForm(shape)}`);
  const profile = profileOf(shape, measured);
  if ('problem' in profile) return malformed(`${profile.problem}. ${expectedForm(shape)}`);
  return { kind: 'known', key: alloy + profile.key };
}

export const MATERIAL_KEY_MAX_LENGTH = 200;

export const MATERIAL_KEY_PATTERN = /^[a-z0-9][a-z0-9_.-]*$/;

const SHAPES = [
  'sq_tube',
  'rect_tube',
  'round_tube',
  'dom_tube',
  'pipe',
  'flat_bar',
  'angle',
  'channel',
  'round_bar',
  'sq_bar',
  'sheet',
  'plate',
] as const satisfies readonly Shape[];

// A bare family name (`sq_tube`) is that family without dimensions, hence malformed: no quote could find its price.
const FAMILY = new RegExp(`^(al_|ss304_|ss316_)?(${SHAPES.join('|')})(?:_(.*))?$`);

interface Slot {
  name: string;
  /** Only a wall or thickness may be a gauge (seeding.md). */
  gauge: boolean;
}

const size = (name: string): Slot => ({ name, gauge: false });
const wall = (name: string): Slot => ({ name, gauge: true });

/** Pipe and channel have their own syntax. */
const LAYOUTS: Record<Exclude<Shape, 'pipe' | 'channel'>, Slot[][]> = {
  sq_tube: [
    [size('side'), wall('wall')],
    [size('side'), size('side'), wall('wall')],
  ],
  rect_tube: [[size('side'), size('side'), wall('wall')]],
  round_tube: [[size('outside diameter'), wall('wall')]],
  dom_tube: [[size('outside diameter'), wall('wall')]],
  // DECISION: either flat-bar dimension may be the gauge (`flat_bar_.25x2`); profileOf makes it the thickness.
  flat_bar: [[wall('width or thickness'), wall('width or thickness')]],
  angle: [[size('leg'), size('leg'), wall('thickness')]],
  round_bar: [[size('diameter')]],
  sq_bar: [[size('side')]],
  sheet: [[wall('thickness')]],
  plate: [[wall('thickness')]],
};

const FORMS: Record<Shape, string> = {
  sq_tube: 'sq_tube_{side}x{wall}, like sq_tube_2x11ga or sq_tube_1.5x0.125',
  rect_tube: 'rect_tube_{long side}x{short side}x{wall}, like rect_tube_4x2x11ga',
  round_tube: 'round_tube_{outside diameter}x{wall}, like round_tube_1.5x14ga',
  dom_tube: 'dom_tube_{outside diameter}x{wall}, like dom_tube_1.5x11ga',
  pipe: 'pipe_{pipe size}_sch{schedule}, like pipe_1.5_sch40',
  flat_bar: 'flat_bar_{width}x{thickness}, like flat_bar_2x0.25',
  angle: 'angle_{leg}x{leg}x{thickness}, like angle_2x2x0.125',
  channel: 'channel_{depth}x{pounds per foot}, like channel_4x5.4',
  round_bar: 'round_bar_{diameter}, like round_bar_0.5',
  sq_bar: 'sq_bar_{side}, like sq_bar_0.75',
  sheet: 'sheet_{thickness}, like sheet_11ga or sheet_0.125',
  plate: 'plate_{thickness}, like plate_0.25',
};

const expectedForm = (shape: Shape): string => `${shape}_ keys are ${FORMS[shape]}`;

const SIZES_ARE = 'sizes are decimal inches (2, 1.5, 0.25) and a wall or thickness may be a gauge (11ga)';

const malformed = (problem: string): KeyCheck => ({ kind: 'malformed', problem });

function charactersProblem(key: string): string {
  const rule = 'a key may hold only letters, digits, "_", "." and "-", and starts with a letter or a digit';
  const others = [...new Set([...key].filter((character) => !/[a-z0-9_.-]/.test(character)))];
  if (others.length === 0) return `${rule}: this one starts with ${quoteInput(key[0])}`;
  return `${rule}: this one holds ${listQuoted(others, 10, (character) => (character === ' ' ? 'a space' : quoteInput(character)))}`;
}

function measure(shape: Shape, rest: string): Measurements | { problem: string } {
  const measured: Measurements = { dimensions: [], lengthsFeet: [], weightLbPerFoot: null, schedule: null };
  if (rest === '') return { problem: `no dimensions after ${shape}_` };

  if (shape === 'pipe') {
    const pipe = /^(.*)_sch_?(.*)$/.exec(rest);
    if (!pipe) return { problem: 'no schedule after the pipe size' };
    if (pipe[2] === '') return { problem: 'no schedule number after "sch"' };
    const nps = dimensionOf(pipe[1], size('pipe size'));
    if ('problem' in nps) return nps;
    const schedule = wholeNumberOf(pipe[2], 'schedule');
    if (typeof schedule !== 'number') return schedule;
    return { ...measured, dimensions: [nps], schedule };
  }

  const tokens = rest.split('x');
  if (tokens.some((token) => token === '')) return { problem: `an empty dimension in "${rest}": a doubled, leading or trailing "x"` };

  if (shape === 'channel') {
    if (tokens.length === 1) return { problem: `no weight per foot after the depth` };
    if (tokens.length !== 2) return { problem: `${tokens.length} dimensions where a channel has 2 (depth and pounds per foot)` };
    const depth = dimensionOf(tokens[0], size('depth'));
    if ('problem' in depth) return depth;
    const weight = dimensionOf(tokens[1], size('weight per foot'));
    if ('problem' in weight) return weight;
    return { ...measured, dimensions: [depth], weightLbPerFoot: (weight as { inches: number }).inches };
  }

  // Every token is read before the count is checked, so `sheet_abc` says what is wrong with "abc".
  const read = tokens.map((token) => dimensionOf(token, wall('')));
  const unreadable = read.find((dimension) => 'problem' in dimension);
  if (unreadable) return unreadable;

  const layouts = LAYOUTS[shape];
  const layout = layouts.find((slots) => slots.length === tokens.length);
  if (!layout) {
    const counts = layouts.map((slots) => `${slots.length} (${slots.map((slot) => slot.name).join(' x ')})`).join(' or ');
    return {
      problem: `${tokens.length} ${tokens.length === 1 ? 'dimension' : 'dimensions'} (${tokens.join(' x ')}) where ${shape}_ has ${counts}`,
    };
  }
  const dimensions: Dimension[] = [];
  for (const [index, slot] of layout.entries()) {
    const dimension = dimensionOf(tokens[index], slot);
    if ('problem' in dimension) return dimension;
    dimensions.push(dimension);
  }
  return { ...measured, dimensions };
}

const GAUGE = /^(\d+)(?:ga|g)$/;
const DECIMAL = /^(?:(\d+)(?:\.\d+)?|\.\d+)$/;
// More digits would print in exponent notation.
const MAX_WHOLE_DIGITS = 8;

function dimensionOf(token: string, slot: Slot): Dimension | { problem: string } {
  const gauge = GAUGE.exec(token);
  if (gauge) {
    if (!slot.gauge) return { problem: `the ${slot.name} "${token}" cannot be a gauge: only a wall or thickness can` };
    const value = wholeNumberOf(gauge[1], 'gauge');
    return typeof value === 'number' ? { gauge: value } : value;
  }
  const decimal = DECIMAL.exec(token);
  if (!decimal) return { problem: `"${token}" is not a size: ${SIZES_ARE}` };
  if (tooLong(decimal[1])) return { problem: `"${token}" has too many digits to be a size in inches` };
  const value = Number(token);
  if (value === 0) return { problem: `"${token}" is zero: a size must be more than 0` };
  // Rounded as the derivation writes them (1/128" is 0.007813); a size that rounds to 0 is rejected.
  if (Number(formatInches(value)) === 0) return { problem: `"${token}" is too small: sizes are written to a millionth of an inch` };
  return { inches: value };
}

function wholeNumberOf(digits: string, name: 'gauge' | 'schedule'): number | { problem: string } {
  const example = name === 'gauge' ? '11ga' : 'sch40';
  if (!/^\d+$/.test(digits)) return { problem: `"${digits}" is not a ${name}: a ${name} is a whole number, like ${example}` };
  if (tooLong(digits)) return { problem: `"${digits}" has too many digits to be a ${name}` };
  const value = Number(digits);
  if (value === 0) return { problem: `${name} 0 is not a ${name}: a ${name} is a whole number above 0, like ${example}` };
  return value;
}

const tooLong = (wholeDigits: string | undefined): boolean => (wholeDigits ?? '').replace(/^0+/, '').length > MAX_WHOLE_DIGITS;
