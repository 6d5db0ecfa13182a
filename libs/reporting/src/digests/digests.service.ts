import { Inject, Injectable } from '@nestjs/common';
import { CatalogQueries } from '@stackgate/catalog';
import { IdpUsageService } from '@stackgate/discovery';
import { addDays, FinanceQueries } from '@stackgate/finance';
import { PeopleDirectory } from '@stackgate/identity';
import { NotificationRecipient } from '@stackgate/notifications';
import { APP_CONFIG, AppConfig, convertMinor, Role } from '@stackgate/platform';
import { ReviewQueueQueries } from '@stackgate/procurement';
import { budgetOwnerDigest, RenewalInput, REVIEWER_ROLES, reviewerDigest, reviewerItems, SeatsInput } from './digest-composition';

/** Renewals this many days ahead are in the budget-owner digest. */
export const DIGEST_RENEWAL_DAYS = 90;

export interface ComposedDigest<T> {
  recipient: NotificationRecipient;
  data: T;
}
export type ReviewerDigest = NonNullable<ReturnType<typeof reviewerDigest>>;
export type BudgetOwnerDigest = NonNullable<ReturnType<typeof budgetOwnerDigest>>;

/**
 * Composes the weekly digests from other libs' exported queries (procurement's queue, finance's
 * contracts and rates, catalog's tools and cost centers, discovery's utilisation, identity's
 * people) in a fixed number of statements, whatever the number of people. Only people with
 * something to be told get a digest.
 */
@Injectable()
export class DigestsService {
  constructor(
    private readonly queue: ReviewQueueQueries,
    private readonly finance: FinanceQueries,
    private readonly catalog: CatalogQueries,
    private readonly usage: IdpUsageService,
    private readonly people: PeopleDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One digest per active CMO, CIO, IT and FINANCE user with something waiting for them. */
  async reviewerDigests(now: Date): Promise<ComposedDigest<ReviewerDigest>[]> {
    const waiting = await this.queue.waiting();
    if (!waiting.length) return [];
    const roles = new Map<string, { email: string; roles: Set<Role> }>();
    for (const role of REVIEWER_ROLES)
      for (const person of await this.people.activeWithRoles([role])) {
        const entry = roles.get(person.id) ?? { email: person.email, roles: new Set<Role>() };
        entry.roles.add(role);
        roles.set(person.id, entry);
      }
    const facts = await this.people.facts([...roles.keys()]);
    return [...roles].flatMap(([id, person]) => {
      const data = reviewerDigest(facts.get(id)?.displayName ?? person.email, reviewerItems({ id, roles: person.roles }, waiting, now));
      return data ? [{ recipient: { id, email: person.email }, data }] : [];
    });
  }

  /** One digest per active owner of a budget cost center whose tools renew within 90 days or have unused seats. */
  async budgetOwnerDigests(now: Date): Promise<ComposedDigest<BudgetOwnerDigest>[]> {
    const asOf = now.toISOString().slice(0, 10);
    const base = this.config.baseCurrency;
    const tools = await this.catalog.reportTools();
    const centers = await this.catalog.costCenterFacts(tools.map((t) => t.budgetOwnerId));
    const ownerOf = new Map(
      tools.flatMap((t) => (centers.get(t.budgetOwnerId)?.ownerId ? [[t.id, centers.get(t.budgetOwnerId)!.ownerId!]] : [])),
    );
    const owned = tools.filter((t) => ownerOf.has(t.id));
    if (!owned.length) return [];
    const toolById = new Map(owned.map((t) => [t.id, t]));
    const contracts = (await this.finance.contractsDueForRenewal(asOf, addDays(asOf, DIGEST_RENEWAL_DAYS))).filter((c) =>
      toolById.has(c.toolId),
    );
    // Seats in use: the identity provider's latest month where there is one, else the tool's own fields (as the governance report).
    const evidence = await this.usage.latestPerTool(owned.map((t) => t.id));
    const seatsOf = owned
      .map((tool) => {
        const month = evidence.get(tool.id);
        return month && month.seats !== null
          ? { tool, licensedSeats: month.seats, activeUsers: month.activeUsers30 }
          : { tool, licensedSeats: tool.licensedSeats, activeUsers: tool.activeUsers };
      })
      .filter((s) => s.licensedSeats !== null && s.activeUsers !== null && s.licensedSeats > s.activeUsers);
    const licences = await this.finance.runningLicenseContracts(
      seatsOf.map((s) => s.tool.id),
      asOf,
    );
    const rates = await this.finance.ratesAtOrBefore(
      [...contracts, ...licences].map((c) => c.currency).filter((currency) => currency !== base),
      asOf.slice(0, 7),
    );
    const convert = (minor: bigint, currency: string) => {
      if (currency === base) return minor;
      const rate = rates.get(currency);
      return rate ? convertMinor(minor, currency, base, rate) : null;
    };
    const licenceByTool = new Map<string, { value: bigint; seats: number; missingRate: boolean }>();
    for (const licence of licences) {
      const sum = licenceByTool.get(licence.toolId) ?? { value: 0n, seats: 0, missingRate: false };
      const value = convert(licence.annualValueMinor, licence.currency);
      licenceByTool.set(licence.toolId, {
        value: sum.value + (value ?? 0n),
        seats: sum.seats + (licence.seats ?? 0),
        missingRate: sum.missingRate || value === null,
      });
    }
    const perOwner = new Map<string, { renewals: RenewalInput[]; seats: SeatsInput[] }>();
    const bucket = (ownerId: string) => {
      const found = perOwner.get(ownerId) ?? { renewals: [], seats: [] };
      perOwner.set(ownerId, found);
      return found;
    };
    for (const contract of contracts) {
      const tool = toolById.get(contract.toolId)!;
      bucket(ownerOf.get(tool.id)!).renewals.push({
        toolId: tool.id,
        toolName: tool.name,
        reference: contract.reference,
        cancelByDate: contract.cancelByDate,
        endDate: contract.endDate,
        autoRenew: contract.autoRenew,
        annualValueMinor: contract.annualValueMinor,
        currency: contract.currency,
      });
    }
    for (const seats of seatsOf) {
      const licence = licenceByTool.get(seats.tool.id);
      // A tool whose licence value cannot be put in the base currency is not valued (rather than valued wrong).
      if (!licence || licence.missingRate) continue;
      bucket(ownerOf.get(seats.tool.id)!).seats.push({
        toolId: seats.tool.id,
        toolName: seats.tool.name,
        licensedSeats: seats.licensedSeats!,
        activeUsers: seats.activeUsers!,
        licenceValueBaseMinor: licence.value,
        licenceSeats: licence.seats,
      });
    }
    const people = await this.people.facts([...perOwner.keys()]);
    return [...perOwner].flatMap(([ownerId, input]) => {
      const person = people.get(ownerId);
      if (!person?.active) return [];
      const data = budgetOwnerDigest(person.displayName, { ...input, asOf, days: DIGEST_RENEWAL_DAYS, base }, convert);
      return data ? [{ recipient: { id: person.id, email: person.email }, data }] : [];
    });
  }
}
