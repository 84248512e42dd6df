import { deriveMaterialKey } from '../src/material-keys/material-key';
import { checkMaterialKey } from '../src/material-keys/material-key-check';

describe('material keys typed by hand', () => {
  it.each([
    ['SQ_TUBE_2.0x11GA', 'sq_tube_2x11ga'],
    ['  sq_tube_2x11ga  ', 'sq_tube_2x11ga'],
    ['sq_tube_2.00x11g', 'sq_tube_2x11ga'],
    ['sq_tube_2x2x11ga', 'sq_tube_2x11ga'],
    ['sq_tube_1.5x.1875', 'sq_tube_1.5x0.1875'],
    ['ss304_sq_tube_1.250x11ga', 'ss304_sq_tube_1.25x11ga'],
    ['rect_tube_2x4x11ga', 'rect_tube_4x2x11ga'],
    ['RECT_TUBE_3.0X2X.250', 'rect_tube_3x2x0.25'],
    ['round_tube_1.50x14ga', 'round_tube_1.5x14ga'],
    ['dom_tube_01.5x011ga', 'dom_tube_1.5x11ga'],
    ['pipe_1.50_sch40', 'pipe_1.5_sch40'],
    ['pipe_1.5_sch_40', 'pipe_1.5_sch40'],
    ['al_pipe_2_sch080', 'al_pipe_2_sch80'],
    ['flat_bar_2x.25', 'flat_bar_2x0.25'],
    ['flat_bar_.25x2', 'flat_bar_2x0.25'],
    ['flat_bar_0.250x2.0', 'flat_bar_2x0.25'],
    ['flat_bar_11gax2', 'flat_bar_2x11ga'],
    ['angle_2x3x.25', 'angle_3x2x0.25'],
    ['al_angle_2.0x2x0.1250', 'al_angle_2x2x0.125'],
    ['channel_4.0x5.40', 'channel_4x5.4'],
    ['round_bar_.5', 'round_bar_0.5'],
    ['SQ_BAR_0.750', 'sq_bar_0.75'],
    ['sheet_11G', 'sheet_11ga'],
    ['ss316_sheet_0.0625', 'ss316_sheet_0.0625'],
    ['plate_.250', 'plate_0.25'],
    ['plate_0.0078125', 'plate_0.007813'],
  ])('%s is known as %s', (typed, key) => {
    expect(checkMaterialKey(typed)).toEqual({ kind: 'known', key });
  });

  it('spells a key typed by hand as the seeder derives it from a description', () => {
    expect(checkMaterialKey('rect_tube_2x3x14ga')).toEqual({ kind: 'known', key: keyOf('Tubing - Rect. 2" x 3" x 14ga') });
    expect(checkMaterialKey('plate_0.0078125')).toEqual({ kind: 'known', key: keyOf('Plate 1/128"') });
  });

  // The expected keys of the derivation table in seed-material-key.unit.spec.ts: a key the seeder writes is already normal.
  it.each([
    'sq_tube_1.5x11ga',
    'sq_tube_2x11ga',
    'sq_tube_6x0.1875',
    'sq_tube_1.75x11ga',
    'sq_tube_3x0.25',
    'ss304_sq_tube_1.25x11ga',
    'rect_tube_4x2x11ga',
    'rect_tube_3x2x14ga',
    'rect_tube_3x2x0.25',
    'dom_tube_1.5x11ga',
    'round_tube_1.5x14ga',
    'pipe_1.5_sch40',
    'flat_bar_3x0.375',
    'flat_bar_4x0.5',
    'ss316_flat_bar_4x0.1875',
    'ss304_flat_bar_4x0.1875',
    'angle_2x2x0.125',
    'angle_3x2x0.25',
    'al_angle_2x2x0.125',
    'channel_3x4.1',
    'round_bar_0.5',
    'sq_bar_0.75',
    'sheet_7ga',
    'al_sheet_11ga',
    'plate_0.75',
    'plate_0.25',
    'al_flat_bar_2x0.25',
    'ss304_sq_tube_1x0.125',
    'sq_tube_1.5x14ga',
    'ss304_sheet_11ga',
    'flat_bar_2x0.25',
  ])('%s, as the seeder derives it, is unchanged', (key) => {
    expect(checkMaterialKey(key)).toEqual({ kind: 'known', key });
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['sq tube 2x11ga', /only letters, digits, "_", "." and "-".*a space/],
    ['sq_tube_1-1/2x11ga', /holds "\/"/],
    ['_sq_tube_2x11ga', /starts with "_"/],
    ['sq_tube_2x', /empty dimension.*sq_tube_ keys are sq_tube_\{side\}x\{wall\}, like sq_tube_2x11ga/],
    ['sq_tube_x11ga', /empty dimension/],
    ['sq_tube_2xx11ga', /empty dimension/],
    ['sq_tube_2.0.x11ga', /"2\.0\." is not a size.*sq_tube_ keys are/],
    ['sq_tube_2.x11ga', /"2\." is not a size/],
    ['sq_tube_0x11ga', /"0" is zero/],
    ['sq_tube_0.0000001x11ga', /too small/],
    ['sq_tube_2x3x11ga', /square tube .* cannot be read from 2 x 3 x 11ga.*sq_tube_ keys are/],
    ['sq_tube_2x0ga', /gauge 0 is not a gauge/],
    ['sq_tube_11gax2', /side "11ga" cannot be a gauge/],
    ['sq_tube_2x11.5ga', /"11\.5ga" is not a size/],
    ['sq_tube_123456789x11ga', /too many digits/],
    ['sq_tube_2x123456789ga', /too many digits to be a gauge/],
    ['sq_tube', /no dimensions after sq_tube_/],
    ['al_sheet', /no dimensions after sheet_.*sheet_ keys are sheet_\{thickness\}/],
    ['rect_tube_4x2', /2 dimensions \(4 x 2\) where rect_tube_ has 3 \(side x side x wall\)/],
    ['round_tube_1.5', /1 dimension .*round_tube_ has 2/],
    ['pipe_1.5', /no schedule.*pipe_ keys are pipe_\{pipe size\}_sch\{schedule\}, like pipe_1\.5_sch40/],
    ['pipe_1.5_sch', /no schedule number/],
    ['pipe_1.5_sch0', /schedule 0 is not a schedule/],
    ['pipe_1.5_sch10s', /"10s" is not a schedule/],
    ['pipe_11ga_sch40', /pipe size "11ga" cannot be a gauge/],
    ['channel_4', /no weight per foot.*channel_ keys are channel_\{depth\}x\{pounds per foot\}/],
    ['channel_c4x5.4', /"c4" is not a size/],
    ['round_bar_', /no dimensions after round_bar_/],
    ['round_bar_0.5x0.5', /2 dimensions .*round_bar_ has 1/],
    ['round_bar_11ga', /diameter "11ga" cannot be a gauge/],
    ['sheet_abc', /"abc" is not a size: sizes are decimal inches/],
    ['sheet_11gax48x96', /3 dimensions .*sheet_ has 1/],
    ['flat_bar_11gax11ga', /flat bar .* cannot be read from 11ga x 11ga/],
    ['angle_2x2', /2 dimensions .*angle_ has 3/],
    ['sq_tube_2x11ga_hr', /"11ga_hr" is not a size/],
  ])('rejects %j with the reason', (typed, problem) => {
    const checked = checkMaterialKey(typed);
    expect(checked.kind).toBe('malformed');
    expect('problem' in checked ? checked.problem : '').toMatch(problem);
  });

  it.each([
    ['expanded_metal_13ga', 'expanded_metal_13ga'],
    ['SQTUBE_2x11ga', 'sqtube_2x11ga'],
    ['Grating_19w4', 'grating_19w4'],
    ['ss_sq_tube_2x11ga', 'ss_sq_tube_2x11ga'],
    ['sq_tubes_2x11ga', 'sq_tubes_2x11ga'],
    ['pipeline-fitting', 'pipeline-fitting'],
    ['al_', 'al_'],
  ])('accepts %s as an unknown family spelled %s', (typed, key) => {
    expect(checkMaterialKey(typed)).toEqual({ kind: 'unknown-family', key });
  });

  it('names the expected form once per problem, whatever the alloy', () => {
    expect(checkMaterialKey('ss316_channel_4')).toEqual({
      kind: 'malformed',
      problem: 'no weight per foot after the depth. channel_ keys are channel_{depth}x{pounds per foot}, like channel_4x5.4',
    });
  });
});

function keyOf(description: string): string {
  const derived = deriveMaterialKey(description);
  return 'profile' in derived ? derived.profile.key : `problem: ${derived.problem}`;
}
