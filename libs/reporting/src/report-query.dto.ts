import { DiscoverySection } from './governance/discovery-section';
import { ApiProperty } from '@nestjs/swagger';
import { DateField, EnumField, MonthField, QueryBoolField, QueryIntField } from '@stackgate/platform';
import { SPEND_BASES, SPEND_GROUP_BY, SpendBasis, SpendGroupBy } from './spend/spend-report';

export const REPORT_FORMATS = ['json', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export class ReportFormatQuery {
  @EnumField(REPORT_FORMATS, { optional: true, description: 'json (default), csv or html; or send Accept: text/csv / text/html' })
  format?: ReportFormat;
}

export class SpendReportQuery extends ReportFormatQuery {
  @MonthField({ description: 'First month, inclusive' }) from: string;
  @MonthField({ description: 'Last month, inclusive (at most 10 years after from)' }) to: string;
  @EnumField(SPEND_BASES, {
    optional: true,
    description:
      'Default committed (contracts). actual: spend entries. approved: approved requests not yet contracted (their estimate over the 12 months ' +
      'from approval, retired when the contract is attached; GET /approved-requests).',
  })
  basis?: SpendBasis;
  @QueryBoolField({
    optional: true,
    description: 'With basis=committed: add the approved, not yet contracted amounts (default false: contracts only)',
  })
  includeApproved?: boolean;
  @EnumField(SPEND_GROUP_BY, { optional: true, description: 'Default budget' }) groupBy?: SpendGroupBy;
}

export class BudgetReportQuery extends ReportFormatQuery {
  @QueryIntField({ min: 2000, max: 2200, description: 'Fiscal year (named by the year it ends); default the current one' })
  fiscalYear?: number;
  @DateField({ optional: true, description: 'Reference date for "to date" (default today)' }) asOf?: string;
}

export class RenewalsReportQuery extends ReportFormatQuery {
  @QueryIntField({ min: 1, max: 3650, default: 90, description: 'Horizon in days (default 90)' }) withinDays?: number;
  @DateField({ optional: true, description: 'Reference date (default today)' }) asOf?: string;
}

export class GovernanceReportQuery extends ReportFormatQuery {
  @DateField({ optional: true, description: 'Reference date (default today); shadow-IT spend covers the 12 months up to it' })
  asOf?: string;
}

export class MoneyAmount {
  @ApiProperty() amount: string;
  @ApiProperty() currency: string;
}

export class SpendRowResponse {
  @ApiProperty() key: string;
  @ApiProperty() label: string;
  @ApiProperty({ example: '1234.50' }) total: string;
  @ApiProperty() marketing: string;
  @ApiProperty() it: string;
  @ApiProperty() other: string;
}

export class SpendTotalsResponse {
  @ApiProperty() total: string;
  @ApiProperty() marketing: string;
  @ApiProperty() it: string;
  @ApiProperty() other: string;
}

export class SpendReportResponse {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ enum: SPEND_BASES }) basis: string;
  @ApiProperty({ description: 'true when the committed figures include approved, not yet contracted amounts' }) includeApproved: boolean;
  @ApiProperty({ enum: SPEND_GROUP_BY }) groupBy: string;
  @ApiProperty() currency: string;
  @ApiProperty({ type: SpendRowResponse, isArray: true }) rows: SpendRowResponse[];
  @ApiProperty({ type: SpendTotalsResponse }) totals: SpendTotalsResponse;
  @ApiProperty({ example: '0.2500' }) operationsShare: string;
  @ApiProperty({ example: '0.1000' }) shadowItShare: string;
}

export class BudgetTotalsResponse {
  @ApiProperty({ type: String, nullable: true, description: 'null when the cost center has no budget for the year' }) budget: string | null;
  @ApiProperty() committed: string;
  @ApiProperty() actual: string;
  @ApiProperty({ type: String, nullable: true, description: 'budget − actual' }) remaining: string | null;
  @ApiProperty({ description: 'actual to date + committed (and approved, not yet contracted) for the rest of the year' }) forecast: string;
  @ApiProperty({ type: String, nullable: true, description: 'budget − forecast' }) variance: string | null;
  @ApiProperty({
    description:
      "Approved, not yet contracted: approved requests' estimates in the fiscal year awaiting a contract (GET /approved-requests); " +
      'included in the forecast for the months after asOf',
  })
  approvedNotContracted: string;
}

export class BudgetRowResponse extends BudgetTotalsResponse {
  @ApiProperty() costCenterId: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['MARKETING', 'IT', 'OTHER'] }) kind: string;
}

export class BudgetReportResponse {
  @ApiProperty() fiscalYear: number;
  @ApiProperty({ example: '2026-04' }) from: string;
  @ApiProperty({ example: '2027-03' }) to: string;
  @ApiProperty({ format: 'date' }) asOf: string;
  @ApiProperty() currency: string;
  @ApiProperty({ type: BudgetRowResponse, isArray: true }) rows: BudgetRowResponse[];
  @ApiProperty({ type: BudgetTotalsResponse }) totals: BudgetTotalsResponse;
}

export class NamedRef {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}
class OwnerRef {
  @ApiProperty() id: string;
  @ApiProperty() displayName: string;
  @ApiProperty() email: string;
}
class CostCenterRef {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() kind: string;
}

export class RenewalDecisionPerson {
  @ApiProperty() id: string;
  @ApiProperty() displayName: string;
}

export class RenewalReportDecision {
  @ApiProperty({ enum: ['RENEW', 'RENEGOTIATE', 'DOWNSIZE', 'CANCEL'] }) decision: string;
  @ApiProperty({ type: Number, nullable: true, description: 'DOWNSIZE: seats to keep' }) seats: number | null;
  @ApiProperty({ type: RenewalDecisionPerson }) owner: RenewalDecisionPerson;
  @ApiProperty() rationale: string;
  @ApiProperty({ type: RenewalDecisionPerson }) decidedBy: RenewalDecisionPerson;
  @ApiProperty() decidedAt: Date;
}

export class RenewalItemResponse {
  @ApiProperty() contractId: string;
  @ApiProperty({ type: String, nullable: true }) reference: string | null;
  @ApiProperty({ type: NamedRef }) tool: NamedRef;
  @ApiProperty({ type: NamedRef, nullable: true }) vendor: NamedRef | null;
  @ApiProperty({ format: 'date' }) startDate: string;
  @ApiProperty({ format: 'date' }) endDate: string;
  @ApiProperty({ format: 'date' }) cancelByDate: string;
  @ApiProperty({ format: 'date' }) reviewStartDate: string;
  @ApiProperty() daysToCancelBy: number;
  @ApiProperty({ type: MoneyAmount, description: 'In the contract currency' }) annualValue: MoneyAmount;
  @ApiProperty() autoRenew: boolean;
  @ApiProperty({ type: Number, nullable: true }) seats: number | null;
  @ApiProperty({ type: Number, nullable: true }) licensedSeats: number | null;
  @ApiProperty({ type: Number, nullable: true }) activeUsers: number | null;
  @ApiProperty({ description: 'Another non-retired tool shares the subcategory' }) overlap: boolean;
  @ApiProperty({ type: OwnerRef, nullable: true }) businessOwner: OwnerRef | null;
  @ApiProperty({ type: CostCenterRef, nullable: true }) budgetOwner: CostCenterRef | null;
  @ApiProperty({
    enum: ['UPCOMING', 'DECISION_DUE', 'MISSED', 'DECIDED'],
    description: 'The renewal state of the term on asOf (see GET /renewals)',
  })
  state: string;
  @ApiProperty({ description: 'MISSED, or a decision due within 7 days' }) overdue: boolean;
  @ApiProperty({ type: RenewalReportDecision, nullable: true, description: 'The decision recorded for the term' })
  decision: RenewalReportDecision | null;
}

export class RenewalsReportResponse {
  @ApiProperty({ format: 'date' }) asOf: string;
  @ApiProperty() withinDays: number;
  @ApiProperty() currency: string;
  @ApiProperty({ type: RenewalItemResponse, isArray: true }) items: RenewalItemResponse[];
}

class ShadowItItem {
  @ApiProperty({ type: NamedRef }) tool: NamedRef;
  @ApiProperty() itApproval: string;
  @ApiProperty({ type: MoneyAmount, description: 'Actual spend of the 12 months up to asOf' }) annualSpend: MoneyAmount;
}
class OverlapTool extends NamedRef {
  @ApiProperty({ type: MoneyAmount }) annualCost: MoneyAmount;
}
class OverlapGroup {
  @ApiProperty({ type: NamedRef }) subcategory: NamedRef;
  @ApiProperty({ type: OverlapTool, isArray: true }) tools: OverlapTool[];
  @ApiProperty({ type: MoneyAmount }) groupCost: MoneyAmount;
  @ApiProperty({ type: MoneyAmount, description: 'group cost − the most expensive tool' }) estimatedSaving: MoneyAmount;
  @ApiProperty({ description: 'How estimatedSaving is computed, in words' }) estimatedSavingBasis: string;
}
class DataSilos {
  @ApiProperty({ type: NamedRef, isArray: true }) isolated: NamedRef[];
  @ApiProperty({ type: NamedRef, isArray: true }) noPathToSystemOfRecord: NamedRef[];
}
class PersonalDataFlow {
  @ApiProperty() integrationId: string;
  @ApiProperty() status: string;
  @ApiProperty({ type: NamedRef }) source: NamedRef;
  @ApiProperty({ type: NamedRef }) target: NamedRef;
  @ApiProperty() targetItApproval: string;
  @ApiProperty({ type: NamedRef, nullable: true }) vendor: NamedRef | null;
  @ApiProperty({ enum: ['TARGET_NOT_IT_APPROVED', 'VENDOR_WITHOUT_DPA'], isArray: true }) reasons: string[];
}
class UtilisationEvidenceMonth {
  @ApiProperty({ enum: ['OKTA', 'ENTRA', 'GOOGLE'] }) source: string;
  @ApiProperty({ description: 'YYYY-MM' }) month: string;
  @ApiProperty({ format: 'date' }) asOf: string;
}
class UtilisationEvidence {
  @ApiProperty({ enum: ['OKTA', 'ENTRA', 'GOOGLE'] }) source: string;
  @ApiProperty({ format: 'date-time' }) lastImportAt: string;
  @ApiProperty({ format: 'date', description: "The last import's figures are as of this day" }) asOf: string;
}
class UnusedSeats {
  @ApiProperty({ type: NamedRef }) tool: NamedRef;
  @ApiProperty() licensedSeats: number;
  @ApiProperty() activeUsers: number;
  @ApiProperty() unusedSeats: number;
  @ApiProperty({ type: MoneyAmount }) perSeatCost: MoneyAmount;
  @ApiProperty({ type: MoneyAmount }) value: MoneyAmount;
  @ApiProperty({
    type: UtilisationEvidenceMonth,
    nullable: true,
    description: "The identity provider's month of utilisation the seats and active users come from; null: the tool's own fields",
  })
  evidence: UtilisationEvidenceMonth | null;
}
class RequestRef {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
}
class OpenConditionsPastDue {
  @ApiProperty({ type: NamedRef }) tool: NamedRef;
  @ApiProperty({ type: RequestRef, description: 'The approved request that set the conditions' }) request: RequestRef;
  @ApiProperty({ description: 'Conditions still open after their due date' }) openPastDue: number;
  @ApiProperty({ format: 'date' }) oldestDueDate: string;
}

export class GovernanceReportResponse {
  @ApiProperty({ format: 'date' }) asOf: string;
  @ApiProperty() currency: string;
  @ApiProperty({ type: ShadowItItem, isArray: true }) shadowIt: ShadowItItem[];
  @ApiProperty({ type: OverlapGroup, isArray: true }) overlapGroups: OverlapGroup[];
  @ApiProperty({ type: DataSilos }) dataSilos: DataSilos;
  @ApiProperty({ type: PersonalDataFlow, isArray: true }) personalDataFlows: PersonalDataFlow[];
  @ApiProperty({ type: UnusedSeats, isArray: true }) unusedSeats: UnusedSeats[];
  @ApiProperty({ type: UtilisationEvidence, nullable: true, description: 'The last identity-provider usage import (null: none yet)' })
  utilisationEvidence: UtilisationEvidence | null;
  @ApiProperty({
    type: OpenConditionsPastDue,
    isArray: true,
    description: 'Approved tools with open conditions past due (oldest due date first)',
  })
  openConditionsPastDue: OpenConditionsPastDue[];
  @ApiProperty({ type: Object, nullable: true, description: 'Review turnaround per stage; null until the review workflow publishes it' })
  reviewTurnaround: null;
  @ApiProperty({
    type: DiscoverySection,
    description:
      'Discovery (issue 25), over the 12 months up to asOf: candidates found, unmatched spend, and spend outside approved tools ' +
      '(shadow-IT tools plus unmatched) as a share of software spend (actual plus unmatched), per budget and per month',
  })
  discovery: DiscoverySection;
}
