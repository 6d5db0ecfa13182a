import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EnumField, MoneyDto, SortablePageQueryDto, StringField, UuidField } from '@stackgate/platform';
import { CandidateAction, CandidateSource, CandidateStatus, MatchKind } from '../../discovery.enums';

export const CANDIDATE_SORT_FIELDS = ['totalSpend', 'lastSeen', 'firstSeen', 'transactions', 'merchant', 'createdAt'] as const;

export class CandidateQueryDto extends SortablePageQueryDto {
  @EnumField(CandidateStatus, { optional: true, description: 'Default: every status' }) status?: CandidateStatus;
  @EnumField(CandidateSource, { optional: true }) source?: CandidateSource;
  @StringField({ optional: true, max: 120, description: 'Part of the merchant key or name (any case)' }) q?: string;
}

export class RegisterCandidateDto {
  @StringField({ optional: true, max: 200, description: "The tool's name; default: the candidate's name" }) name?: string;
  @StringField({ optional: true, max: 200, description: 'The vendor (found by name, or registered); default: the tool name' })
  vendorName?: string;
  @UuidField({ description: 'A subcategory (second level of the taxonomy)' }) subcategoryId: string;
  @UuidField({ description: 'Cost center that owns the budget' }) budgetOwnerId: string;
}

export class LinkCandidateDto {
  @UuidField({ description: 'The existing tool whose other name this merchant is' }) toolId: string;
}

export class DismissCandidateDto {
  @StringField({ optional: true, max: 500, multiline: true, description: 'Why it is not software (shown in the queue)' }) reason?: string;
}

export class ReopenCandidateDto {
  @StringField({ optional: true, max: 500, multiline: true, description: 'Why the decision is taken back (kept in the audit trail)' })
  reason?: string;
}

export class PayerShareResponse {
  @ApiProperty({ description: 'The employee column of the lines' }) employee: string;
  @ApiProperty({ type: MoneyDto }) amount: MoneyDto;
  @ApiProperty() transactions: number;
}

export class CostCenterShareResponse {
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null: lines without a cost center' }) costCenterId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) code: string | null;
  @ApiProperty({ type: MoneyDto }) amount: MoneyDto;
}

export class CandidateResponse {
  @ApiProperty() id: string;
  @ApiProperty({ enum: CandidateSource }) source: CandidateSource;
  @ApiProperty({ description: 'The normalised merchant (or app) key, e.g. "hotjar" for "PAYPAL *HOTJAR"' }) merchant: string;
  @ApiProperty({ description: 'Display name: the known product, else the key in title case' }) name: string;
  @ApiProperty({ enum: CandidateStatus }) status: CandidateStatus;
  @ApiProperty({ type: MoneyDto, description: 'Sum of its transactions in the base currency' }) totalSpend: MoneyDto;
  @ApiProperty() transactions: number;
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true }) firstSeen: string | null;
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true }) lastSeen: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'From the known-SaaS list' }) suggestedSubcategoryId: string | null;
  @ApiProperty({ description: 'Distinct employees who paid' }) payers: number;
  @ApiProperty({ type: PayerShareResponse, isArray: true, description: 'The five who paid most' }) topPayers: PayerShareResponse[];
  @ApiProperty({ type: CostCenterShareResponse, isArray: true }) costCenters: CostCenterShareResponse[];
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Identity-provider evidence' }) assignedUsers: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) activeUsers: number | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'REGISTERED or LINKED: the tool' }) toolId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) dismissReason: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) decidedById: string | null;
  @ApiPropertyOptional({ type: Date, nullable: true }) decidedAt: Date | null;
  @ApiProperty({ enum: CandidateAction, isArray: true, description: 'What the state machine allows next' }) actions: CandidateAction[];
  @ApiProperty() version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class CandidatePageResponse {
  @ApiProperty({ type: CandidateResponse, isArray: true }) items: CandidateResponse[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export class CandidateTransactionResponse {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty({ description: 'The merchant as the file wrote it' }) merchantRaw: string;
  @ApiProperty({ type: MoneyDto }) amount: MoneyDto;
  @ApiProperty({ type: MoneyDto }) baseAmount: MoneyDto;
  @ApiPropertyOptional({ type: String, nullable: true }) employee: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) costCenterId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) memo: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) reference: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The spend entry it became once registered or linked' })
  spendEntryId: string | null;
  @ApiPropertyOptional({ enum: MatchKind, nullable: true }) matchKind: MatchKind | null;
}

export class CandidateDetailResponse extends CandidateResponse {
  @ApiProperty({ type: CandidateTransactionResponse, isArray: true, description: 'Its latest 500 transactions, newest first' })
  recentTransactions: CandidateTransactionResponse[];
}
