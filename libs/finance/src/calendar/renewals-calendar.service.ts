import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, MoreThanOrEqual } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { CatalogQueries } from '@stackgate/catalog';
import { PeopleDirectory } from '@stackgate/identity';
import { APP_CONFIG, AppConfig, AuthUser, formatMinor, notFound, withTransaction } from '@stackgate/platform';
import { addDays } from '../contracts/contract-terms';
import { Contract } from '../contracts/contract.entity';
import { ContractStatus } from '../finance.enums';
import { FINANCE_READERS } from '../finance.roles';
import { CalendarToken } from './calendar-token.entity';
import { AllDayEvent, buildCalendar } from './ics';

export const CALENDAR_TOKEN_PREFIX = 'sgcal_';
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
/** Contracts that ended longer ago than this leave the feed. */
const PAST_DAYS = 90;

export interface CalendarLink {
  token: string;
  url: string;
  createdAt: Date;
}

/**
 * The renewals calendar: a per-person secret link to an iCalendar feed with one all-day event per cancel-by
 * date and per renewal date (the day after a term ends) of the ACTIVE contracts the person may see: all of them
 * for the finance readers (CMO, CIO, FINANCE, ADMIN, who read contracts), otherwise those of the tools they own
 * as business owner or as owner of the tool's budget cost center (the people renewal reminders already tell).
 */
@Injectable()
export class RenewalsCalendarService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly catalog: CatalogQueries,
    private readonly people: PeopleDirectory,
  ) {}

  private feedUrl(token: string): string {
    const base = this.config.publicUrl ?? `http://localhost:${this.config.port}`;
    return `${base.replace(/\/$/, '')}/calendar/renewals.ics?token=${token}`;
  }

  /** Whether the person has a link (the settings page shows "rotate" and "revoke" then). */
  async hasLink(userId: string): Promise<{ createdAt: Date; lastUsedAt: Date | null } | null> {
    const row = await this.dataSource.getRepository(CalendarToken).findOneBy({ userId });
    return row ? { createdAt: row.createdAt, lastUsedAt: row.lastUsedAt } : null;
  }

  /** A new link for `actor`; an existing one stops working at once (rotation). The token is in this answer only. */
  async issue(actor: AuthUser): Promise<CalendarLink> {
    const token = `${CALENDAR_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const createdAt = new Date();
    await withTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(CalendarToken);
      const rotated = await repo.existsBy({ userId: actor.id });
      await repo.delete({ userId: actor.id });
      await repo.insert({ userId: actor.id, tokenHash: hashOf(token), createdAt, lastUsedAt: null });
      await this.audit.record(manager, { action: 'calendar_token.created', entityType: 'User', entityId: actor.id, metadata: { rotated } });
    });
    return { token, url: this.feedUrl(token), createdAt };
  }

  /** Revokes `actor`'s link (the feed answers 404 from now on); true when there was one. */
  async revoke(actor: AuthUser): Promise<boolean> {
    return withTransaction(this.dataSource, async (manager) => {
      const res = await manager.getRepository(CalendarToken).delete({ userId: actor.id });
      if (!res.affected) return false;
      await this.audit.record(manager, { action: 'calendar_token.revoked', entityType: 'User', entityId: actor.id });
      return true;
    });
  }

  /** The feed of the token's owner; 404 for an unknown, revoked or malformed token, or an inactive owner. */
  async feed(token: unknown, now = new Date()): Promise<string> {
    if (typeof token !== 'string' || !token.startsWith(CALENDAR_TOKEN_PREFIX) || token.length > 100) throw notFound('Calendar');
    const row = await this.dataSource.getRepository(CalendarToken).findOneBy({ tokenHash: hashOf(token) });
    const person = row ? (await this.people.facts([row.userId])).get(row.userId) : undefined;
    const actor = person?.active ? await this.people.actor(person.id) : null;
    if (!row || !actor) throw notFound('Calendar');
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 3600_000)
      await withTransaction(this.dataSource, (manager) =>
        manager.getRepository(CalendarToken).update({ userId: row.userId }, { lastUsedAt: now }),
      );
    return buildCalendar({
      name: 'Stackgate renewals',
      description: 'Cancel-by and renewal dates of software contracts',
      events: await this.events(actor, now),
      now,
    });
  }

  private async events(actor: AuthUser, now: Date): Promise<AllDayEvent[]> {
    const today = now.toISOString().slice(0, 10);
    const contracts = await this.dataSource.getRepository(Contract).find({
      where: { status: ContractStatus.ACTIVE, endDate: MoreThanOrEqual(addDays(today, -PAST_DAYS)) },
      order: { cancelByDate: 'ASC', id: 'ASC' },
    });
    const tools = await this.catalog.toolFacts([...new Set(contracts.map((contract) => contract.toolId))]);
    const centers = await this.catalog.costCenterFacts([...new Set([...tools.values()].map((tool) => tool.budgetOwnerId))]);
    const ownerOf = (toolId: string) => tools.get(toolId)?.businessOwnerId ?? null;
    const readsAll = actor.roles.some((role) => FINANCE_READERS.includes(role));
    const visible = readsAll
      ? contracts
      : contracts.filter((contract) => {
          const tool = tools.get(contract.toolId);
          return !!tool && (tool.businessOwnerId === actor.id || centers.get(tool.budgetOwnerId)?.ownerId === actor.id);
        });
    const names = await this.people.displayNames([
      ...new Set(visible.map((contract) => ownerOf(contract.toolId)).filter((id): id is string => !!id)),
    ]);
    const base = (this.config.publicUrl ?? `http://localhost:${this.config.port}`).replace(/\/$/, '');
    return visible.flatMap((contract) => {
      const tool = tools.get(contract.toolId);
      const toolName = tool?.name ?? 'Unknown tool';
      const ownerId = ownerOf(contract.toolId);
      const amount = `${formatMinor(contract.annualValueMinor, contract.currency)} ${contract.currency}`;
      const facts = [
        `Contract: ${contract.reference ?? contract.id}`,
        `Tool: ${toolName}`,
        `Annual value: ${amount}`,
        `Owner: ${ownerId ? (names.get(ownerId) ?? 'unknown') : 'none'}`,
        `Term ends: ${contract.endDate}`,
        `Cancel by: ${contract.cancelByDate}`,
        `Renews automatically: ${contract.autoRenew ? 'yes' : 'no'}`,
      ].join('\n');
      const url = `${base}/tools/${contract.toolId}`;
      const common = { description: facts, url, sequence: contract.version, categories: ['Stackgate', 'Renewals'] };
      return [
        {
          ...common,
          uid: `contract-${contract.id}-cancel-by@stackgate`,
          date: contract.cancelByDate,
          summary: `Cancel-by date: ${toolName} (${amount})`,
        },
        {
          ...common,
          uid: `contract-${contract.id}-renewal@stackgate`,
          date: addDays(contract.endDate, 1),
          summary: `${contract.autoRenew ? 'Renews' : 'Term over'}: ${toolName} (${amount})`,
        },
      ];
    });
  }
}
