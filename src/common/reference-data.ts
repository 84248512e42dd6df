// Kept as data in code: adding a job type is a code change, not a migration.

export const JOB_TYPES = [
  'cantilever_gate',
  'swing_gate',
  'straight_railing',
  'stair_railing',
  'repair_decorative',
  'ornamental_fence',
  'complete_stair',
  'spiral_stair',
  'window_security_grate',
  'balcony_railing',
  'furniture_table',
  'utility_enclosure',
  'bollard',
  'repair_structural',
  'custom_fab',
] as const;
export type JobType = (typeof JOB_TYPES)[number];

export const LABOR_PROCESSES = [
  'layout_setup',
  'cut_prep',
  'fit_tack',
  'full_weld',
  'grind_clean',
  'finish_prep',
  'clearcoat',
  'paint',
  'hardware_install',
  'site_install',
  'final_inspection',
] as const;
export type LaborProcess = (typeof LABOR_PROCESSES)[number];

export const FINISHING_METHODS = ['raw', 'clearcoat', 'paint', 'powder_coat', 'galvanized'] as const;
export type FinishingMethod = (typeof FINISHING_METHODS)[number];

export const SHOP_TIERS = ['basic', 'pro', 'enterprise'] as const;
export type ShopTier = (typeof SHOP_TIERS)[number];

export const QUOTE_SESSION_STATUSES = ['active', 'complete', 'abandoned'] as const;
export type QuoteSessionStatus = (typeof QUOTE_SESSION_STATUSES)[number];
