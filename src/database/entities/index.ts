import { AuthToken } from './auth-token.entity';
import { Customer } from './customer.entity';
import { HardwareItem } from './hardware-item.entity';
import { HistoricalActual } from './historical-actual.entity';
import { MaterialPriceHistory } from './material-price-history.entity';
import { MaterialPrice } from './material-price.entity';
import { ProcessRate } from './process-rate.entity';
import { QuoteLineItem } from './quote-line-item.entity';
import { QuoteSession } from './quote-session.entity';
import { Quote } from './quote.entity';
import { User } from './user.entity';

export {
  AuthToken,
  Customer,
  HardwareItem,
  HistoricalActual,
  MaterialPrice,
  MaterialPriceHistory,
  ProcessRate,
  Quote,
  QuoteLineItem,
  QuoteSession,
  User,
};

/** Every table of the v1 and v2 schema; the feature modules share these. */
export const ENTITIES = [
  AuthToken,
  Customer,
  HardwareItem,
  HistoricalActual,
  MaterialPrice,
  MaterialPriceHistory,
  ProcessRate,
  Quote,
  QuoteLineItem,
  QuoteSession,
  User,
];
