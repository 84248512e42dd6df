import { quoteInput } from '../common/quoted-input';

// The material-key grammar of seeding.md: a description that lacks a shape or a dimension is a problem, never a guess.

/** The stick length and the sheet size turn piece prices into unit prices. */
export interface MaterialProfile {
  key: string;
  /** Null when none is stated or the shape is a sheet or plate. */
  stickLengthFeet: number | null;
  sheetAreaSqft: number | null;
}

export type DerivedKey = { profile: MaterialProfile } | { problem: string };

export type Shape =
  | 'sq_tube'
  | 'rect_tube'
  | 'round_tube'
  | 'dom_tube'
  | 'pipe'
  | 'flat_bar'
  | 'angle'
  | 'channel'
  | 'round_bar'
  | 'sq_bar'
  | 'sheet'
  | 'plate';

export type Dimension = { gauge: number } | { inches: number };

export interface Measurements {
  dimensions: Dimension[];
  lengthsFeet: number[];
  weightLbPerFoot: number | null;
  schedule: number | null;
}

type Alloy = { prefix: string } | { problem: string };

const SHAPE_NAMES: Record<Shape, string> = {
  sq_tube: 'a square tube (side x side x wall)',
  rect_tube: 'a rectangular tube (long x short x wall)',
  round_tube: 'a round tube (outside diameter x wall)',
  dom_tube: 'a DOM tube (outside diameter x wall)',
  pipe: 'a pipe (size and schedule, like 1-1/2" sch 40)',
  flat_bar: 'a flat bar (width x thickness)',
  angle: 'an angle (leg x leg x thickness)',
  channel: 'a channel (depth x weight per foot, like 3" x 4.1#)',
  round_bar: 'a round bar (diameter)',
  sq_bar: 'a square bar (side)',
  sheet: 'a sheet (thickness, optionally x width x length)',
  plate: 'a plate (thickness, optionally x width x length)',
};

const STAINLESS_GRADE = /\b(?:type\s*|t-?)?(304|316)l?\b/g;
const ALUMINUM_ALLOY = /\b(?:6061|6063|5052|3003)(?:-[a-z]\d+)?\b/g;

/** `hints` (a BOM category such as `ss_304_sq_tube`) may name the alloy or the shape; dimensions come from `description`. */
export function deriveMaterialKey(description: string, hints: readonly string[] = []): DerivedKey {
  const text = normalize(description);
  const cutOff = /(?:^|\s)(x|type)$|([-,/])$/.exec(text);
  if (cutOff) return { problem: `the description stops at "${cutOff[1] ?? cutOff[2]}": it was cut off` };

  const texts = [text, ...hints.map((hint) => normalize(hint.replace(/_/g, ' ')))];
  const alloy = alloyOf(texts);
  if ('problem' in alloy) return alloy;
  const shape = shapeOf(texts);
  if (typeof shape !== 'string') return shape;

  const measured = measure(text.replace(STAINLESS_GRADE, ' ').replace(ALUMINUM_ALLOY, ' '));
  if ('problem' in measured) return measured;
  const profile = profileOf(shape, measured);
  if ('problem' in profile) return profile;
  return { profile: { ...profile, key: alloy.prefix + profile.key } };
}

/** 1.5, 0.1875, 3. */
export function formatInches(inches: number): string {
  return String(Number(inches.toFixed(6)));
}

export function parseLengthFeet(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*'\s*(?:(\d+(?:\.\d+)?)\s*")?\s*$/.exec(normalizeQuotes(text));
  if (!match) return null;
  const feet = Number(match[1]) + Number(match[2] ?? 0) / 12;
  return feet > 0 ? feet : null;
}

// The characters are escaped: one written as itself would make the bundles hold their source as two-byte text (scripts/build.mjs).
function normalizeQuotes(text: string): string {
  return text
    .replace(/[\u201c\u201d\u2033]/g, '"')
    .replace(/[\u2018\u2019\u2032]/g, "'")
    .replace(/''/g, '"');
}

function normalize(text: string): string {
  return normalizeQuotes(text)
    .replace(/\u00d7/g, 'x')
    .replace(/\*/g, ' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

function alloyOf(texts: string[]): Alloy {
  const joined = texts.join(' ');
  const grades = new Set([...joined.matchAll(STAINLESS_GRADE)].map((match) => match[1]));
  const stainless = grades.size > 0 || /\b(?:stainless|ss)\b/.test(joined);
  const aluminum = /\b(?:aluminum|aluminium|alum)\b/.test(joined) || joined.search(ALUMINUM_ALLOY) >= 0;
  if (stainless && aluminum) return { problem: 'it names both stainless steel and aluminum' };
  if (aluminum) return { prefix: 'al_' };
  if (!stainless) return { prefix: '' };
  if (grades.size > 1) return { problem: `it names two stainless grades (${[...grades].join(' and ')})` };
  if (grades.size === 0) return { problem: 'stainless steel without its grade (304 or 316)' };
  return { prefix: `ss${[...grades][0]}_` };
}

function shapeOf(texts: string[]): Shape | { problem: string } {
  const shapes = new Set(texts.map((text) => shapeNamedBy(new Set(text.match(/[a-z]+/g) ?? []))).filter((shape) => shape !== null));
  if (shapes.size === 0) {
    return {
      problem: 'it names no shape this seeder knows (square, rectangular or round tube, pipe, flat bar, angle, channel, bar, sheet, plate)',
    };
  }
  if (shapes.size > 1) return { problem: `it names two shapes (${[...shapes].join(' and ')})` };
  return [...shapes][0];
}

function shapeNamedBy(words: Set<string>): Shape | null {
  const any = (...candidates: string[]) => candidates.some((word) => words.has(word));
  if (any('tube', 'tubes', 'tubing')) {
    if (any('dom')) return 'dom_tube';
    if (any('round', 'rnd', 'od')) return 'round_tube';
    if (any('rect', 'rectangular', 'rectangle')) return 'rect_tube';
    if (any('square', 'sq')) return 'sq_tube';
    return null;
  }
  if (any('pipe')) return 'pipe';
  if (any('angle')) return 'angle';
  if (any('channel')) return 'channel';
  if (any('flat', 'flats', 'strip')) return 'flat_bar';
  if (any('bar', 'bars', 'rod')) {
    if (any('round', 'rnd')) return 'round_bar';
    if (any('square', 'sq')) return 'sq_bar';
    return null;
  }
  if (any('sheet')) return 'sheet';
  if (any('plate')) return 'plate';
  return null;
}

const FEET = /^(\d+(?:\.\d+)?)'$/;
const GAUGE = /^(\d+)(?:ga|g)$/;
// Gauges are whole numbers, so a fraction followed by "ga" is inches.
const FRACTION_WITH_GAUGE_SUFFIX = /^(\d+-\d+\/\d+|\d+\/\d+)ga$/;
const INCHES = /^(\d+-\d+\/\d+|\d+\/\d+|\d+(?:\.\d+)?|\.\d+)(?:"|in)?$/;
const WEIGHT = /^(\d+(?:\.\d+)?)#$/;
const SCHEDULE = /^sch(\d+)$/;

function measure(text: string): Measurements | { problem: string } {
  const tokens = text
    .replace(/(\d)\s*(?:gauge|ga)\b/g, '$1ga') // "11 ga" = "11ga"
    .replace(/\bsch(?:edule)?\.?\s*(\d+)/g, 'sch$1')
    .replace(/(?<=["'\d])\s*x\s*(?=[\d.])/g, ' x ') // 2"x2" = 2" x 2"
    .replace(/"(?=[a-z])/g, '" ')
    .split(' ');
  const result: Measurements = { dimensions: [], lengthsFeet: [], weightLbPerFoot: null, schedule: null };
  let previous: 'feet' | 'other' = 'other';
  for (const token of tokens) {
    let match: RegExpExecArray | null;
    if ((match = FEET.exec(token))) {
      result.lengthsFeet.push(Number(match[1]));
      previous = 'feet';
      continue;
    }
    if ((match = INCHES.exec(token)) && previous === 'feet' && token.endsWith('"')) {
      // 20' 6": the inches belong to the length.
      result.lengthsFeet.push(result.lengthsFeet.pop()! + inchesOf(match[1]) / 12);
    } else if ((match = GAUGE.exec(token))) {
      result.dimensions.push({ gauge: Number(match[1]) });
    } else if ((match = FRACTION_WITH_GAUGE_SUFFIX.exec(token)) || (match = INCHES.exec(token))) {
      const inches = inchesOf(match[1]);
      if (!(inches > 0)) return { problem: `${quoteInput(token)} is not a dimension` };
      result.dimensions.push({ inches });
    } else if ((match = WEIGHT.exec(token))) {
      result.weightLbPerFoot = Number(match[1]);
    } else if ((match = SCHEDULE.exec(token))) {
      result.schedule = Number(match[1]);
    }
    previous = 'other';
  }
  if (result.lengthsFeet.length > 1) return { problem: `it states ${result.lengthsFeet.length} lengths` };
  return result;
}

function inchesOf(text: string): number {
  const mixed = /^(\d+)-(\d+)\/(\d+)$/.exec(text);
  if (mixed) return Number(mixed[1]) + Number(mixed[2]) / Number(mixed[3]);
  const fraction = /^(\d+)\/(\d+)$/.exec(text);
  if (fraction) return Number(fraction[1]) / Number(fraction[2]);
  return Number(text);
}

function token(dimension: Dimension): string {
  return 'gauge' in dimension ? `${dimension.gauge}ga` : formatInches(dimension.inches);
}

const isInches = (dimension: Dimension): dimension is { inches: number } => 'inches' in dimension;
const inches = (dimension: Dimension): number => (isInches(dimension) ? dimension.inches : NaN);
const largestFirst = (dimensions: Dimension[]): Dimension[] => [...dimensions].sort((a, b) => inches(b) - inches(a));

export function profileOf(shape: Shape, measured: Measurements): MaterialProfile | { problem: string } {
  const { dimensions, schedule, weightLbPerFoot } = measured;
  const stickLengthFeet = measured.lengthsFeet[0] ?? null;
  const stock = (key: string): MaterialProfile => ({ key, stickLengthFeet, sheetAreaSqft: null });
  const mismatch = () => ({
    problem: `${SHAPE_NAMES[shape]} cannot be read from ${dimensions.length === 0 ? 'no dimensions' : dimensions.map(token).join(' x ')}`,
  });
  const [first, second, third] = dimensions;

  switch (shape) {
    case 'sq_tube': {
      if (dimensions.length !== 2 && dimensions.length !== 3) return mismatch();
      const [side, otherSide, wall] = dimensions.length === 2 ? [first, first, second] : [first, second, third];
      if (!isInches(side) || !isInches(otherSide) || side.inches !== otherSide.inches) return mismatch();
      return stock(`sq_tube_${token(side)}x${token(wall)}`);
    }
    case 'rect_tube': {
      if (dimensions.length !== 3 || !isInches(first) || !isInches(second)) return mismatch();
      const [long, short] = largestFirst([first, second]);
      return stock(`rect_tube_${token(long)}x${token(short)}x${token(third)}`);
    }
    case 'round_tube':
    case 'dom_tube':
      if (schedule !== null) {
        // DECISION: a schedule belongs to a pipe size (4" OD is NPS 3-1/2, yet shops say "4 inch pipe" for NPS 4),
        // so an "OD x sch" tube is reported rather than guessed.
        return { problem: `a pipe schedule on a tube given by its outside diameter: name the pipe size (like Pipe 4" sch ${schedule})` };
      }
      return dimensions.length === 2 && isInches(first) ? stock(`${shape}_${token(first)}x${token(second)}`) : mismatch();
    case 'pipe':
      if (schedule === null) return { problem: 'a pipe without its schedule (like sch 40)' };
      return dimensions.length === 1 && isInches(first) ? stock(`pipe_${token(first)}_sch${schedule}`) : mismatch();
    case 'flat_bar': {
      if (dimensions.length !== 2) return mismatch();
      const [width, thickness] =
        isInches(first) && isInches(second) ? largestFirst(dimensions) : isInches(first) ? [first, second] : [second, first];
      return isInches(width) ? stock(`flat_bar_${token(width)}x${token(thickness)}`) : mismatch();
    }
    case 'angle': {
      if (dimensions.length !== 3 || !isInches(first) || !isInches(second)) return mismatch();
      const [legA, legB] = largestFirst([first, second]);
      return stock(`angle_${token(legA)}x${token(legB)}x${token(third)}`);
    }
    case 'channel':
      if (weightLbPerFoot === null)
        return {
          problem: `${SHAPE_NAMES.channel} cannot be read from ${dimensions.map(token).join(' x ') || 'no dimensions'}: no weight per foot`,
        };
      return dimensions.length === 1 && isInches(first) ? stock(`channel_${token(first)}x${formatInches(weightLbPerFoot)}`) : mismatch();
    case 'round_bar':
    case 'sq_bar':
      return dimensions.length === 1 && isInches(first) ? stock(`${shape}_${token(first)}`) : mismatch();
    case 'sheet':
    case 'plate':
      return sheetProfile(shape, dimensions) ?? mismatch();
  }
}

/** The thickness is the gauge, else the smallest of three dimensions; the two others are the sheet's size. */
function sheetProfile(shape: 'sheet' | 'plate', dimensions: Dimension[]): MaterialProfile | null {
  const gauges = dimensions.filter((dimension) => !isInches(dimension));
  const sizes = largestFirst(dimensions.filter(isInches));
  let thickness: Dimension;
  if (gauges.length === 1 && (sizes.length === 0 || sizes.length === 2)) thickness = gauges[0];
  else if (gauges.length === 0 && sizes.length === 1) thickness = sizes.pop()!;
  else if (gauges.length === 0 && sizes.length === 3) thickness = sizes.pop()!;
  else return null;
  const sheetAreaSqft = sizes.length === 2 ? (inches(sizes[0]) * inches(sizes[1])) / 144 : null;
  return { key: `${shape}_${token(thickness)}`, stickLengthFeet: null, sheetAreaSqft };
}
