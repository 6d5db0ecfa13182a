import { Module } from '@nestjs/common';

/**
 * Discovery: the tools nobody registered, found from card and invoice spend and from the identity
 * provider's app assignments and sign-ins, and the queue where IT acts on them.
 */
@Module({})
export class DiscoveryModule {}
