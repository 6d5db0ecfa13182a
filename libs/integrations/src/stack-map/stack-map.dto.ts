import { ApiProperty } from '@nestjs/swagger';
import { QueryBoolField } from '@stackgate/platform';

export class StackMapQueryDto {
  @QueryBoolField({ description: 'Include retired tools and retired integrations (default false)' })
  includeRetired?: boolean;
}

export class StackMapNode {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() categoryId: string;
  @ApiProperty() categoryName: string;
  @ApiProperty() subcategoryId: string;
  @ApiProperty() subcategoryName: string;
  @ApiProperty() lifecycle: string;
  @ApiProperty() itApproval: string;
  @ApiProperty() shadowIt: boolean;
  @ApiProperty() isSystemOfRecord: boolean;
  @ApiProperty({ description: 'An ACTIVE tool with no ACTIVE integration at either end' }) silo: boolean;
}

export class StackMapEdge {
  @ApiProperty() id: string;
  @ApiProperty() sourceToolId: string;
  @ApiProperty() targetToolId: string;
  @ApiProperty() method: string;
  @ApiProperty() status: string;
  @ApiProperty() carriesPersonalData: boolean;
}

export class StackMapCategory {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class StackMapResponse {
  @ApiProperty({ type: StackMapNode, isArray: true }) nodes: StackMapNode[];
  @ApiProperty({ type: StackMapEdge, isArray: true }) edges: StackMapEdge[];
  @ApiProperty({
    type: StackMapCategory,
    isArray: true,
    description: "Top-level categories of the nodes, in taxonomy order (the map's lanes)",
  })
  categories: StackMapCategory[];
}
