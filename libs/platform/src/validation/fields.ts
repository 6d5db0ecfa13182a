import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';
import { isCurrencyCode } from '../money/currency';
import { MAX_MONEY_INTEGER_DIGITS, moneyInputProblem, parseDecimalToMinor } from '../money/money';
import { allocationProblems } from '../money/allocation';

/*
 * Composite field decorators: each applies the class-validator rules and the matching OpenAPI
 * description together, so a DTO states a field once and the docs cannot drift from validation.
 */

interface Common {
  optional?: boolean;
  nullable?: boolean;
  description?: string;
  example?: unknown;
}

function base(options: Common, schema: Record<string, unknown>) {
  const decorators: PropertyDecorator[] = [];
  if (options.optional || options.nullable) {
    decorators.push(
      ApiPropertyOptional({ ...schema, nullable: options.nullable, description: options.description, example: options.example }),
    );
    // optional: may be omitted; nullable: may also be sent as null (to clear the value).
    decorators.push(options.nullable ? IsOptional() : ValidateIf((_, v) => v !== undefined));
  } else {
    decorators.push(ApiProperty({ ...schema, description: options.description, example: options.example }));
  }
  return decorators;
}

const trim = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/*
 * Control characters: a CR/LF in a one-line field (a title, a name) ends up in e-mail subjects and
 * headers as spoofed text, and other C0/C1 controls garble logs, CSVs and pages. One-line fields
 * refuse every C0/C1 control character (U+0000–U+001F, U+007F–U+009F) and the Unicode line and
 * paragraph separators (U+2028, U+2029). Multi-line fields (descriptions, notes, comments,
 * rationale) keep line breaks (LF, or CRLF as browsers send a textarea) and tabs, nothing else.
 */
const ONE_LINE_FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;
const MULTI_LINE_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029]|\r(?!\n)/;

/** True when `value` holds a control character that a one-line (or, with multiline, a multi-line) text may not hold. */
export function hasForbiddenControlChars(value: string, opts: { multiline?: boolean } = {}): boolean {
  return (opts.multiline ? MULTI_LINE_FORBIDDEN : ONE_LINE_FORBIDDEN).test(value);
}

export const controlCharsMessage = (property: string, multiline = false) =>
  multiline
    ? `${property} must not contain control characters other than line breaks and tabs`
    : `${property} must be a single line without control characters`;

/** Non-strings are left to IsString; arrays are checked item by item (tags). */
function NoControlChars(multiline: boolean): PropertyDecorator {
  const ok = (value: unknown): boolean =>
    Array.isArray(value) ? (value as unknown[]).every(ok) : typeof value !== 'string' || !hasForbiddenControlChars(value, { multiline });
  return registerValidator(multiline ? 'multiLineText' : 'singleLineText', ok, controlCharsMessage('$property', multiline));
}

/** A text field: one line unless `multiline` (see above for the control characters each refuses). */
export function StringField(
  options: Common & { min?: number; max: number; pattern?: RegExp; patternMessage?: string; trim?: boolean; multiline?: boolean },
) {
  const min = options.min ?? (options.optional || options.nullable ? 0 : 1);
  return applyDecorators(
    ...base(options, { type: String, minLength: min, maxLength: options.max, pattern: options.pattern?.source }),
    ...(options.trim === false ? [] : [trim]),
    IsString(),
    MaxLength(options.max),
    ...(min > 0 ? [MinLength(min), IsNotEmpty()] : []),
    ...(options.pattern
      ? [Matches(options.pattern, { message: options.patternMessage ?? `$property must match ${options.pattern}` })]
      : []),
    NoControlChars(!!options.multiline),
  );
}

export function EmailField(options: Common = {}) {
  return applyDecorators(
    ...base(options, { type: String, format: 'email', maxLength: 254 }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value)),
    IsString(),
    MaxLength(254),
    IsEmail({}, { message: '$property must be an e-mail address' }),
  );
}

export function UuidField(options: Common = {}) {
  return applyDecorators(
    ...base(options, { type: String, format: 'uuid' }),
    IsString(),
    IsUUID('all', { message: '$property must be a UUID' }),
  );
}

/** The values an enum field accepts: a list as given, an enum's values otherwise. */
const isValueList = (allowed: Record<string, string> | readonly string[]): allowed is readonly string[] => Array.isArray(allowed);
const allowedValues = (allowed: Record<string, string> | readonly string[]): string[] =>
  isValueList(allowed) ? [...allowed] : Object.values(allowed);

export function EnumField(allowed: Record<string, string> | readonly string[], options: Common = {}) {
  const values = allowedValues(allowed);
  return applyDecorators(
    ...base(options, { type: String, enum: values }),
    IsIn(values, { message: `$property must be one of: ${values.join(', ')}` }),
  );
}

export function EnumArrayField(allowed: Record<string, string> | readonly string[], options: Common & { minSize?: number } = {}) {
  const values = allowedValues(allowed);
  return applyDecorators(
    ...base(options, {
      type: String,
      enum: values,
      isArray: true,
      minItems: options.minSize ?? 0,
      maxItems: values.length,
      uniqueItems: true,
    }),
    IsArray(),
    ArrayMinSize(options.minSize ?? 0),
    ArrayMaxSize(values.length),
    ArrayUnique(),
    IsIn(values, { each: true, message: `each value of $property must be one of: ${values.join(', ')}` }),
  );
}

export function IntField(options: Common & { min: number; max: number }) {
  return applyDecorators(
    ...base(options, { type: 'integer', minimum: options.min, maximum: options.max }),
    IsInt({ message: '$property must be a whole number' }),
    Min(options.min),
    Max(options.max),
  );
}

/** An integer read from a query string ("?page=2"). */
export function QueryIntField(options: Common & { min: number; max: number; default?: number }) {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: options.min,
      maximum: options.max,
      default: options.default,
      description: options.description,
    }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value)),
    IsOptional(),
    IsInt({ message: '$property must be a whole number' }),
    Min(options.min),
    Max(options.max),
  );
}

export function BoolField(options: Common = {}) {
  return applyDecorators(...base(options, { type: Boolean }), IsBoolean({ message: '$property must be true or false' }));
}

/** A boolean read from a query string: only "true" and "false" are accepted. */
export function QueryBoolField(options: Common = {}) {
  return applyDecorators(
    ApiPropertyOptional({ type: Boolean, description: options.description }),
    Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsOptional(),
    IsBoolean({ message: '$property must be true or false' }),
  );
}

export function StringArrayField(options: Common & { maxItems: number; maxLength: number; minItems?: number }) {
  return applyDecorators(
    ...base(options, {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: options.maxLength },
      minItems: options.minItems ?? 0,
      maxItems: options.maxItems,
    }),
    Transform(({ value }: { value: unknown }) =>
      Array.isArray(value) ? (value as unknown[]).map((item) => (typeof item === 'string' ? item.trim() : item)) : value,
    ),
    IsArray(),
    ArrayMinSize(options.minItems ?? 0),
    ArrayMaxSize(options.maxItems),
    IsString({ each: true }),
    IsNotEmpty({ each: true }),
    MaxLength(options.maxLength, { each: true }),
    NoControlChars(false),
  );
}

export const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export function isRealDate(text: string): boolean {
  if (!DATE_PATTERN.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** A calendar date "YYYY-MM-DD" that exists (no 2026-02-30). */
export function DateField(options: Common = {}) {
  return applyDecorators(
    ...base(options, { type: String, format: 'date', example: options.example ?? '2026-04-01' }),
    IsString(),
    Matches(DATE_PATTERN, { message: '$property must be a date YYYY-MM-DD' }),
    registerValidator('isRealDate', (v) => typeof v === 'string' && isRealDate(v), '$property is not a real calendar date'),
  );
}

export function MonthField(options: Common = {}) {
  return applyDecorators(
    ...base(options, { type: String, pattern: MONTH_PATTERN.source, example: options.example ?? '2026-04' }),
    IsString(),
    Matches(MONTH_PATTERN, { message: '$property must be a month YYYY-MM' }),
  );
}

export function CurrencyField(options: Common = {}) {
  return applyDecorators(
    ...base(options, { type: String, pattern: '^[A-Z]{3}$', example: options.example ?? 'EUR' }),
    IsString(),
    registerValidator('isCurrency', (v) => isCurrencyCode(v), '$property must be an ISO 4217 currency code'),
  );
}

function registerValidator(name: string, test: (v: unknown, args: ValidationArguments) => boolean, message: string): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message },
      validator: { validate: test },
    });
  };
}

const tooManyDigits = (v: string) => v.replace(/^-/, '').split('.')[0].length > MAX_MONEY_INTEGER_DIGITS;

/** The money input maximum (MAX_MONEY_INTEGER_DIGITS), with a message that names the largest amount of the currency. */
function moneyMaximum(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'moneyMaximum',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args: ValidationArguments) => moneyInputProblem(args.value, (args.object as MoneyDto).currency) ?? 'amount is too large',
      },
      validator: { validate: (v: unknown) => typeof v !== 'string' || !/^-?\d+(\.\d+)?$/.test(v) || !tooManyDigits(v) },
    });
  };
}

/** `{ amount: "1234.50", currency: "EUR" }` — the amount may not have more decimals than the currency, nor more than 12 integer digits. */
export class MoneyDto {
  @ApiProperty({
    type: String,
    pattern: `^-?\\d{1,${MAX_MONEY_INTEGER_DIGITS}}(\\.\\d{1,3})?$`,
    example: '12000.00',
    description:
      `Decimal string; no more decimals than the currency has and at most ${MAX_MONEY_INTEGER_DIGITS} digits before the decimal point: ` +
      'the largest amount is 999999999999.99 EUR (999999999999 JPY, 999999999999.999 KWD), negatives likewise where allowed. ' +
      'A larger amount is refused with 400 VALIDATION_FAILED.',
  })
  @IsString({ message: 'amount must be a decimal string such as "1234.50"' })
  @Matches(/^-?\d+(\.\d{1,4})?$/, { message: 'amount must be a decimal string such as "1234.50"' })
  @registerValidator(
    'moneyPrecision',
    (amount, args) => {
      const cur = (args.object as MoneyDto).currency;
      // A malformed amount, an unknown currency or too many digits are reported by the other rules, not as decimals.
      if (typeof amount !== 'string' || !/^-?\d+(\.\d+)?$/.test(amount) || !isCurrencyCode(cur) || tooManyDigits(amount)) return true;
      try {
        parseDecimalToMinor(amount, cur);
        return true;
      } catch {
        return false;
      }
    },
    'amount has more decimal places than its currency allows',
  )
  @moneyMaximum()
  amount: string;

  @CurrencyField()
  currency: string;
}

export function MoneyField(options: Common & { nonNegative?: boolean } = {}) {
  return applyDecorators(
    ...base(options, { type: MoneyDto }),
    // ValidateNested alone lets a missing or scalar value through: require the object itself.
    IsObject({ message: '$property must be a money object {amount, currency}' }),
    ValidateNested(),
    Type(() => MoneyDto),
    ...(options.nonNegative
      ? [
          registerValidator(
            'nonNegativeMoney',
            (v) => !(typeof (v as MoneyDto)?.amount === 'string' && (v as MoneyDto).amount.startsWith('-')),
            '$property must not be negative',
          ),
        ]
      : []),
  );
}

export class AllocationShareDto {
  @UuidField({ description: 'Cost center id' })
  costCenterId: string;

  @IntField({ min: 1, max: 10000, description: 'Share in basis points (10000 = 100 %)' })
  shareBps: number;
}

const hasNumericShare = (share: unknown): boolean => typeof (share as { shareBps?: unknown } | null)?.shareBps === 'number';

/** A list of cost-center shares summing to exactly 10000 basis points. */
export function AllocationField(options: Common = {}) {
  return applyDecorators(
    ...base(options, {
      type: AllocationShareDto,
      isArray: true,
      description: options.description ?? 'Cost split across cost centers; shares sum to 10000',
    }),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(50),
    ValidateNested({ each: true }),
    Type(() => AllocationShareDto),
    registerValidator(
      'allocationSum',
      (value) =>
        !Array.isArray(value) || (value as unknown[]).some((share) => !hasNumericShare(share)) || allocationProblems(value).length === 0,
      '$property shares must be distinct cost centers summing to exactly 10000 basis points',
    ),
  );
}

export function NestedField(type: () => new () => object, options: Common & { isArray?: boolean; maxItems?: number } = {}) {
  return applyDecorators(
    ...base(options, { type: type(), isArray: options.isArray }),
    ...(options.isArray ? [IsArray(), ArrayMaxSize(options.maxItems ?? 100)] : [IsObject({ message: '$property must be an object' })]),
    ValidateNested({ each: options.isArray }),
    Type(type),
  );
}

export { IsEnum };
