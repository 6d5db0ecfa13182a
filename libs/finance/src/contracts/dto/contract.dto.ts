import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AllocationField,
  AllocationShare,
  AllocationShareDto,
  BoolField,
  DateField,
  EnumField,
  IntField,
  MoneyDto,
  MoneyField,
  QueryBoolField,
  QueryIntField,
  SortablePageQueryDto,
  StringField,
  UuidField,
} from '@stackgate/platform';
import { Billing, ContractStatus, CostType } from '../../finance.enums';

export class CreateContractDto {
  @UuidField() toolId: string;
  @UuidField({ optional: true, description: "Defaults to the tool's vendor" }) vendorId?: string;
  @StringField({ optional: true, max: 120 }) reference?: string;
  @DateField() startDate: string;
  @IntField({ min: 1, max: 120, description: 'Calendar months covered from the start month' }) termMonths: number;
  @EnumField(Billing) billing: Billing;
  @MoneyField({ nonNegative: true, description: 'Amount per billing period' }) amount: MoneyDto;
  @EnumField(CostType, { optional: true, description: 'Default LICENSE' }) costType?: CostType;
  @IntField({ optional: true, min: 0, max: 10_000_000 }) seats?: number;
  @BoolField({ optional: true }) autoRenew?: boolean;
  @IntField({ optional: true, min: 0, max: 3650, description: 'Cancel-by date = end date − noticeDays (default 0)' }) noticeDays?: number;
  @IntField({ optional: true, min: 0, max: 3650, description: 'Review starts this many days before the cancel-by date (default 30)' })
  internalLeadDays?: number;
  @AllocationField({ optional: true, description: "Cost split; defaults to the tool's allocation" }) allocation?: AllocationShare[];
  @UuidField({
    optional: true,
    description:
      'The approved request this contract fulfils (GET /approved-requests): its approved, not yet contracted amount is retired ' +
      'in the same transaction. 409 when the request has no amount awaiting a contract or already has one.',
  })
  requestId?: string;
}

export class UpdateContractDto {
  @UuidField({ optional: true }) toolId?: string;
  @UuidField({ optional: true }) vendorId?: string;
  @StringField({ nullable: true, max: 120 }) reference?: string | null;
  @DateField({ optional: true }) startDate?: string;
  @IntField({ optional: true, min: 1, max: 120 }) termMonths?: number;
  @EnumField(Billing, { optional: true }) billing?: Billing;
  @MoneyField({ optional: true, nonNegative: true }) amount?: MoneyDto;
  @EnumField(CostType, { optional: true }) costType?: CostType;
  @IntField({ nullable: true, min: 0, max: 10_000_000 }) seats?: number | null;
  @BoolField({ optional: true }) autoRenew?: boolean;
  @IntField({ optional: true, min: 0, max: 3650 }) noticeDays?: number;
  @IntField({ optional: true, min: 0, max: 3650 }) internalLeadDays?: number;
  @AllocationField({ nullable: true, description: "null reverts to the tool's allocation" }) allocation?: AllocationShare[] | null;
  @EnumField(ContractStatus, { optional: true }) status?: ContractStatus;
  @IntField({ optional: true, min: 1, max: 2_147_483_647, description: 'The version you read; a stale one is 409' }) version?: number;
}

export class ContractQueryDto extends SortablePageQueryDto {
  @UuidField({ optional: true }) toolId?: string;
  @UuidField({ optional: true, description: "The contract's vendor" }) vendorId?: string;
  @EnumField(ContractStatus, { optional: true }) status?: ContractStatus;
  @QueryIntField({
    min: 0,
    max: 3650,
    description: 'Active contracts whose end date (the renewal) falls within this many days from asOf, asOf included (e.g. 30, 60, 90)',
  })
  renewsWithinDays?: number;
  @QueryBoolField({
    description:
      'true: active contracts still running (end date on or after asOf) whose cancel-by date has passed (before asOf), i.e. the notice was missed; ' +
      'false: those whose cancel-by date is still ahead or whose term has ended',
  })
  cancelByPassed?: boolean;
  @DateField({ optional: true, description: 'The day renewsWithinDays and cancelByPassed count from (default today, UTC)' }) asOf?: string;
}

/** Ending a contract before or at its term: it leaves renewals, reminders and the annual cost; its committed ledger rows stay. */
export class TerminateContractDto {
  @DateField({ description: 'The day the contract ends (notice given / service stops), kept as terminatedOn; not before its start date' })
  effectiveDate: string;
  @StringField({
    max: 500,
    multiline: true,
    description: 'Why it is terminated (kept on the contract as terminationReason and in the audit trail)',
  })
  reason: string;
  @IntField({ min: 1, max: 2_147_483_647, description: 'The version you read; a stale one is 409' }) version: number;
}

export class ContractResponse {
  @ApiProperty() id: string;
  @ApiProperty() toolId: string;
  @ApiProperty() vendorId: string;
  @ApiPropertyOptional({ type: String, nullable: true }) reference: string | null;
  @ApiProperty({ format: 'date' }) startDate: string;
  @ApiProperty() termMonths: number;
  @ApiProperty({ enum: Billing }) billing: Billing;
  @ApiProperty({ type: MoneyDto }) amount: MoneyDto;
  @ApiProperty({ enum: CostType }) costType: CostType;
  @ApiPropertyOptional({ type: Number, nullable: true }) seats: number | null;
  @ApiProperty() autoRenew: boolean;
  @ApiProperty() noticeDays: number;
  @ApiProperty() internalLeadDays: number;
  @ApiProperty({ type: AllocationShareDto, isArray: true, description: 'The effective allocation' }) allocation: AllocationShare[];
  @ApiProperty({ description: "true when the allocation is the contract's own, false when inherited from the tool" })
  ownAllocation: boolean;
  @ApiProperty({ enum: ContractStatus }) status: ContractStatus;
  @ApiProperty({ format: 'date' }) endDate: string;
  @ApiProperty({ format: 'date' }) cancelByDate: string;
  @ApiProperty({ format: 'date' }) reviewStartDate: string;
  @ApiProperty({ type: MoneyDto }) annualValue: MoneyDto;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description:
      'The day a terminated contract ends (the effectiveDate given to POST /contracts/{id}/terminate); null when not terminated ' +
      'or terminated before the date was kept on the contract (then it is in the audit event contract.terminated)',
  })
  terminatedOn: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    maxLength: 500,
    description: 'Why the contract was terminated (the reason given to POST /contracts/{id}/terminate); null when terminatedOn is null',
  })
  terminationReason: string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class ContractPageResponse {
  @ApiProperty({ type: ContractResponse, isArray: true }) items: ContractResponse[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}
