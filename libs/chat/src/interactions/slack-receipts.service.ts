import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan } from 'typeorm';
import { isUniqueViolation } from '@stackgate/platform';
import { SlackInteractionReceipt } from './slack-interaction-receipt.entity';
import { SLACK_SIGNATURE_WINDOW_SECONDS } from './slack-signature';

/**
 * Replay protection of the interactivity endpoint, across instances: each verified request is claimed
 * once, by inserting its receipt. The same (timestamp, signature) or the same body a second time loses
 * on the unique keys, whichever instance it reaches. Receipts older than the window (and a minute of
 * clock skew) are deleted on the way: a request that old is refused by its timestamp anyway.
 */
@Injectable()
export class SlackReceipts {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** True the first time a request is seen, false for a replay or a retried delivery. */
  async claim(timestamp: string, signature: string, rawBody: Buffer, now = new Date()): Promise<boolean> {
    const repo = this.dataSource.getRepository(SlackInteractionReceipt);
    await repo.delete({ receivedAt: LessThan(new Date(now.getTime() - (2 * SLACK_SIGNATURE_WINDOW_SECONDS + 60) * 1000)) });
    try {
      await repo.insert({
        bodyDigest: createHash('sha256').update(rawBody).digest('hex'),
        requestTimestamp: Number(timestamp),
        signature,
        receivedAt: now,
      });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }
}
