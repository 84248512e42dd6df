import { V1Baseline1764201600000 } from './1764201600000-V1Baseline';
import { V2Foundation1764201600001 } from './1764201600001-V2Foundation';
import { SuppliersAndMappings1764201600002 } from './1764201600002-SuppliersAndMappings';
import { KnownLoginIps1764201600003 } from './1764201600003-KnownLoginIps';
import { AccountLifecycle1764201600004 } from './1764201600004-AccountLifecycle';
import { PriceImports1764201600005 } from './1764201600005-PriceImports';
import { RefreshFamilies1764201600006 } from './1764201600006-RefreshFamilies';
import { RowChangeNotifications1764201600007 } from './1764201600007-RowChangeNotifications';
import { PriceCurrency1764201600009 } from './1764201600009-PriceCurrency';
import { QuoteLifecycle1764201600024 } from './1764201600024-QuoteLifecycle';
import { AddressSkeletonsAndMailGiveUp1764201600031 } from './1764201600031-AddressSkeletonsAndMailGiveUp';

/** Listed rather than globbed so the same list works compiled and under Jest. */
export const MIGRATIONS = [
  V1Baseline1764201600000,
  V2Foundation1764201600001,
  SuppliersAndMappings1764201600002,
  KnownLoginIps1764201600003,
  AccountLifecycle1764201600004,
  PriceImports1764201600005,
  RefreshFamilies1764201600006,
  RowChangeNotifications1764201600007,
  PriceCurrency1764201600009,
  QuoteLifecycle1764201600024,
  AddressSkeletonsAndMailGiveUp1764201600031,
];
