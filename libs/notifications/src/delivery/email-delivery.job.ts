import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import nodemailer, { Transporter } from 'nodemailer';
import { DataSource, In, LessThanOrEqual } from 'typeorm';
import { APP_CONFIG, AppConfig, JobLeaseService, JobScheduler, Metrics, withTransaction } from '@stackgate/platform';
import { DeliveryStatus, Notification } from '../notification.entity';

export const EMAIL_JOB = 'email-delivery';
export const MAX_ATTEMPTS = 5;
const BATCH = 50;
const LEASE_MS = 5 * 60_000;

/** Minutes to wait after the n-th failed attempt: 1, 2, 4, 8 … */
export const backoffMs = (attempts: number) => 60_000 * 2 ** Math.max(0, attempts - 1);

/**
 * Sends the outbox by e-mail when SMTP_URL is set. One instance at a time holds the lease, and
 * every row is claimed (PENDING → SENDING) by a conditional UPDATE before it is sent, so no
 * notification is ever sent twice. A failure puts the row back to PENDING with exponential backoff,
 * FAILED after MAX_ATTEMPTS. A crash between sending and marking SENT leaves the row SENDING: it
 * is not sent again (at most once), and it stays visible for an operator.
 */
@Injectable()
export class EmailDeliveryJob implements OnModuleInit {
  private readonly logger = new Logger('EmailDelivery');
  private transport?: Transporter;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scheduler: JobScheduler,
    private readonly leases: JobLeaseService,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    // the outbox backlog: what waits for e-mail delivery, due or backing off
    this.metrics.gaugeFromQuery('stackgate_outbox_backlog', 'Notifications waiting for e-mail delivery (PENDING or SENDING)', () =>
      this.dataSource
        .getRepository(Notification)
        .count({ where: { deliveryStatus: In([DeliveryStatus.PENDING, DeliveryStatus.SENDING]) } }),
    );
    if (this.config.smtpUrl)
      this.scheduler.register({
        name: EMAIL_JOB,
        run: async (now) => {
          await this.run(now);
        },
      });
  }

  private mailer(): Transporter {
    this.transport ??= nodemailer.createTransport(this.config.smtpUrl, { from: this.config.smtpFrom });
    return this.transport;
  }

  /** One delivery pass; returns how many were sent. */
  async run(now = new Date()): Promise<number> {
    if (!this.config.smtpUrl || !(await this.leases.acquire(EMAIL_JOB, LEASE_MS))) return 0;
    const repo = this.dataSource.getRepository(Notification);
    const due = await repo.find({
      where: { deliveryStatus: DeliveryStatus.PENDING, nextAttemptAt: LessThanOrEqual(now) },
      order: { createdAt: 'ASC' },
      take: BATCH,
      select: { id: true },
    });
    let sent = 0;
    for (const { id } of due) {
      const claimed = await withTransaction(this.dataSource, (m) =>
        m
          .createQueryBuilder()
          .update(Notification)
          .set({ deliveryStatus: DeliveryStatus.SENDING, updatedAt: new Date() })
          .where('id = :id AND deliveryStatus = :pending', { id, pending: DeliveryStatus.PENDING })
          .execute(),
      );
      if (claimed.affected !== 1) continue;
      const notification = await repo.findOneByOrFail({ id });
      try {
        await this.mailer().sendMail({
          from: this.config.smtpFrom,
          to: notification.recipientEmail,
          subject: notification.subject,
          text: notification.body,
        });
        await withTransaction(this.dataSource, (m) =>
          m.getRepository(Notification).update(
            { id },
            {
              deliveryStatus: DeliveryStatus.SENT,
              deliveredAt: new Date(),
              deliveryAttempts: notification.deliveryAttempts + 1,
              lastError: null,
              updatedAt: new Date(),
            },
          ),
        );
        sent++;
      } catch (err) {
        const attempts = notification.deliveryAttempts + 1;
        const failed = attempts >= MAX_ATTEMPTS;
        const message = String((err as Error)?.message ?? err)
          .replace(/\/\/[^@\s]*@/g, '//***@')
          .slice(0, 500);
        await withTransaction(this.dataSource, (m) =>
          m.getRepository(Notification).update(
            { id },
            {
              deliveryStatus: failed ? DeliveryStatus.FAILED : DeliveryStatus.PENDING,
              deliveryAttempts: attempts,
              lastError: message,
              nextAttemptAt: failed ? null : new Date(now.getTime() + backoffMs(attempts)),
              updatedAt: new Date(),
            },
          ),
        );
        this.logger.warn({
          msg: failed ? 'e-mail delivery failed for good' : 'e-mail delivery failed; will retry',
          notificationId: id,
          attempts,
          err: message,
        });
      }
    }
    return sent;
  }
}
