import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AUDIT_BREAK_KINDS, AuditBreakKind } from '../audit-verifier';

/** OpenAPI shape of AuditTrailVerifier's answer. */
export class AuditBreakResponse {
  @ApiPropertyOptional({ format: 'uuid', description: 'The event where the break shows, when there is one' }) eventId?: string;
  @ApiPropertyOptional({
    description:
      'The chain it is on: "<entityType>/<entityId>", "<entityType>/~<n>" for events without an entity, "~legacy-v1" for the events hashed before version 2',
  })
  chain?: string;
  @ApiProperty({
    enum: AUDIT_BREAK_KINDS,
    description:
      'HASH_MISMATCH: a stored field no longer matches the hash. UNKNOWN_HASH_VERSION: a hashVersion this server does not know. ' +
      "WRONG_CHAIN: the event is not on its entity's chain. SEQUENCE_GAP: events are missing inside a chain. " +
      'BROKEN_LINK: prevHash does not name the previous event. ' +
      "TRUNCATED: the chain's newest events (or all of them) were deleted. HEAD_MISMATCH: the chain ends elsewhere than its checkpoint. " +
      'NO_CHECKPOINT: a chain without its checkpoint. LEGACY_SET_CHANGED: the version 1 events are not the set anchored at the upgrade. ' +
      'TOO_MANY_BREAKS: the count of breaks beyond the first 1,000, which are not listed.',
  })
  kind: AuditBreakKind;
  @ApiProperty() message: string;
}

export class AuditVerificationResponse {
  @ApiProperty({ description: 'true when no break was found' }) ok: boolean;
  @ApiProperty({ description: 'How many events were checked' }) checked: number;
  @ApiProperty({ type: AuditBreakResponse, isArray: true }) breaks: AuditBreakResponse[];
}
