export { type IntegerLiteralReader, integerLiteralReader, parseJsonExact } from './exact-json.js';
export {
  upbitAskBid,
  upbitChange,
  upbitColonTime,
  upbitCompactDate,
  upbitCompactTime,
  upbitDashedDate,
  upbitEpochMs,
  upbitExactInteger,
  upbitInteger,
  upbitLabel,
  upbitMarketCode,
  upbitNonNegative,
  upbitNumber,
  upbitZonelessUtc,
} from './schemas.js';
export {
  formatUpbitTo,
  parseCompactUtcDateTime,
  parseDashedUtcDate,
  parseDashedUtcDateTime,
  parseZonelessUtcDateTime,
} from './upbit-date.js';
export { parseUpbitErrorBody, readUpbitErrorBody, type UpbitErrorBody } from './upbit-error-body.js';
export {
  isDashedDateText,
  isUpbitAskBid,
  isUpbitChange,
  isUpbitLabel,
  UPBIT_LABEL_MAX_LENGTH,
} from './upbit-fields.js';
export {
  decodeExactIntegerText,
  decodeUpbitEpochMs,
  decodeUpbitNonNegative,
  decodeUpbitNumber,
  decodeUpbitSafeInteger,
} from './upbit-number.js';
export { issuesToDataValidationError, parseWithSchema } from './validation.js';
