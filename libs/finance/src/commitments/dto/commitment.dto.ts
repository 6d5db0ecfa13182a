import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AllocationShare, AllocationShareDto, EnumField, MoneyDto, PageQueryDto, UuidField } from '@stackgate/platform';
import { CommitmentStatus } from '../../finance.enums';

export class CommitmentQueryDto extends PageQueryDto {
  @EnumField(CommitmentStatus, {
    optional: true,
    description: 'PENDING (default): approved requests awaiting a contract; ATTACHED: those whose contract was attached',
  })
  status?: CommitmentStatus;
  @UuidField({ optional: true }) toolId?: string;
}

export class ApprovedRequestResponse {
  @ApiProperty({ description: 'The approved request' }) requestId: string;
  @ApiProperty() title: string;
  @ApiProperty() toolId: string;
  @ApiProperty({ type: MoneyDto, description: "The request's estimated annual cost, in the currency it was requested in" })
  estimatedAnnualCost: MoneyDto;
  @ApiProperty({
    type: MoneyDto,
    description:
      'What the ledger carries as approved, not yet contracted (basis APPROVED): the estimate in the base currency as the ' +
      'request converted it; 0 once a contract is attached',
  })
  pendingAmount: MoneyDto;
  @ApiProperty({ type: AllocationShareDto, isArray: true, description: "The request's allocation split" }) allocation: AllocationShare[];
  @ApiProperty({ format: 'date', description: 'Day of the final approval: the suggested contract start date' }) approvedOn: string;
  @ApiProperty({ enum: CommitmentStatus }) status: CommitmentStatus;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The contract attached (POST /contracts with requestId)' }) contractId:
    string | null;
}

export class ApprovedRequestPageResponse {
  @ApiProperty({ type: ApprovedRequestResponse, isArray: true }) items: ApprovedRequestResponse[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}
