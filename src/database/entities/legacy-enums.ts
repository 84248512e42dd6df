// The v1 enum types hold upper-case member NAMES; v2 keeps them only where v1 columns still use them.

export const QUOTE_STATUSES = ['DRAFT', 'SENT', 'ACCEPTED', 'DECLINED'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

export const LEGACY_MATERIAL_TYPES = [
  'MILD_STEEL',
  'STAINLESS_304',
  'STAINLESS_316',
  'ALUMINUM_6061',
  'ALUMINUM_5052',
  'DOM_TUBING',
  'SQUARE_TUBING',
  'ANGLE_IRON',
  'FLAT_BAR',
  'PLATE',
  'CHANNEL',
] as const;
export type LegacyMaterialType = (typeof LEGACY_MATERIAL_TYPES)[number];

export const PROCESS_TYPES = [
  'LAYOUT',
  'CUTTING',
  'CNC_PLASMA',
  'CNC_ROUTER',
  'WELDING',
  'TIG_WELDING',
  'GRINDING',
  'DRILLING',
  'BENDING',
  'ASSEMBLY',
  'DESIGN',
  'FIELD_INSTALL',
  'PROJECT_MANAGEMENT',
  'POWDER_COAT',
  'PAINT',
] as const;
export type ProcessType = (typeof PROCESS_TYPES)[number];
