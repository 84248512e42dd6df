import { AuthToken } from './auth-token.entity';
import { Customer } from './customer.entity';
import { HardwareItem } from './hardware-item.entity';
import { HistoricalActual } from './historical-actual.entity';
import { IdempotencyKey } from './idempotency-key.entity';
import { KnownLoginIp } from './known-login-ip.entity';
import { LinkToken } from './link-token.entity';
import { MailOutbox } from './mail-outbox.entity';
import { MaterialPrice } from './material-price.entity';
import { MaterialPriceHistory } from './material-price-history.entity';
import { PriceImport, PriceImportFile } from './price-import.entity';
import { PriceMapping } from './price-mapping.entity';
import { ProcessRate } from './process-rate.entity';
import { Quote } from './quote.entity';
import { QuoteEvent } from './quote-event.entity';
import { QuoteLineItem } from './quote-line-item.entity';
import { QuoteSession } from './quote-session.entity';
import { RefreshFamily } from './refresh-family.entity';
import { Supplier } from './supplier.entity';
import { User } from './user.entity';

export * from './auth-token.entity';
export * from './customer.entity';
export * from './hardware-item.entity';
export * from './historical-actual.entity';
export * from './idempotency-key.entity';
export * from './known-login-ip.entity';
export type { QuoteStatus } from './legacy-enums';
export * from './link-token.entity';
export * from './mail-outbox.entity';
export * from './material-price.entity';
export * from './material-price-history.entity';
export * from './price-import.entity';
export * from './price-mapping.entity';
export * from './process-rate.entity';
export * from './quote.entity';
export * from './quote-event.entity';
export * from './quote-line-item.entity';
export * from './quote-session.entity';
export * from './refresh-family.entity';
export * from './supplier.entity';
export * from './user.entity';

export const ENTITIES = [
  AuthToken,
  Customer,
  HardwareItem,
  HistoricalActual,
  IdempotencyKey,
  KnownLoginIp,
  LinkToken,
  MailOutbox,
  MaterialPrice,
  MaterialPriceHistory,
  PriceImport,
  PriceImportFile,
  PriceMapping,
  ProcessRate,
  Quote,
  QuoteEvent,
  QuoteLineItem,
  QuoteSession,
  RefreshFamily,
  Supplier,
  User,
];
