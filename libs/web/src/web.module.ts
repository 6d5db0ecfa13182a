import { DiscoveryModule } from '@stackgate/discovery';
import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { CatalogModule } from '@stackgate/catalog';
import { FinanceModule } from '@stackgate/finance';
import { WebhooksModule } from '@stackgate/webhooks';
import { ChatModule } from '@stackgate/chat';
import { IdentityModule } from '@stackgate/identity';
import { IntegrationsModule } from '@stackgate/integrations';
import { NotificationsModule } from '@stackgate/notifications';
import { ReportingModule } from '@stackgate/reporting';
import { ProcurementModule } from '@stackgate/procurement';
import { APP_CONFIG, AppConfig, ErrorBody, reasonPhrase } from '@stackgate/platform';
import { PageContext } from './page-context';
import { FlashMessages } from './session/flash';
import { SubmitOnceInterceptor } from './session/submit-once';
import { AdminUsersPages } from './pages/admin-users.pages';
import { AuthPages } from './pages/auth.pages';
import { HomePages } from './pages/home.pages';
import { CatalogPages } from './pages/catalog.pages';
import { ReportsPages } from './pages/reports.pages';
import { ImportPages } from './pages/import.pages';
import { ImportPresetChoices } from './pages/import-presets';
import { SpendMappingPages } from './pages/spend-mappings.pages';
import { InboxAndMapPages } from './pages/inbox-map.pages';
import { RequestsPages } from './pages/requests.pages';
import { ConditionsPages } from './pages/conditions.pages';
import { AdminCatalogPages } from './pages/admin-catalog.pages';
import { FinancePages } from './pages/finance.pages';
import { VendorsPages } from './pages/vendors.pages';
import { IntegrationsPages } from './pages/integrations.pages';
import { RenewalsPages } from './pages/renewals.pages';
import { ContractsPages } from './pages/contracts.pages';
import { ContractEditPages } from './pages/contract-edit.pages';
import { SsoPages } from './pages/sso.pages';
import { DiscoveryPages } from './pages/discovery.pages';
import { Lookups } from './pages/lookups';
import { ApiTokensPages, ServiceAccountsPages } from './pages/api-tokens.pages';
import { ScimTokensPages } from './pages/scim-tokens.pages';
import { CalendarPages } from './pages/calendar.pages';
import { NotificationSettingsPages } from './pages/notification-settings.pages';
import { WebhooksPages } from './pages/webhooks.pages';
import { ChatPages } from './pages/chat.pages';
import { NewTokenReveal } from './session/new-token-reveal';
import { ViewRenderer } from './view-renderer';
import { WebGuard } from './web.guard';

/**
 * The server-rendered web UI. Pages call the same services as the API and are guarded by the
 * same global guard (the session cookie carries the same token: the app module lists
 * `sessionTokenFromCookie` among the guard's token sources), plus CSRF on every form.
 */
@Module({
  imports: [
    IdentityModule,
    CatalogModule,
    IntegrationsModule,
    FinanceModule,
    DiscoveryModule,
    ReportingModule,
    ProcurementModule,
    NotificationsModule,
    WebhooksModule,
    ChatModule,
  ],
  controllers: [
    AuthPages,
    HomePages,
    AdminUsersPages,
    CatalogPages,
    ReportsPages,
    SpendMappingPages,
    ImportPages,
    InboxAndMapPages,
    RequestsPages,
    AdminCatalogPages,
    FinancePages,
    VendorsPages,
    IntegrationsPages,
    RenewalsPages,
    ConditionsPages,
    ContractsPages,
    ContractEditPages,
    SsoPages,
    ApiTokensPages,
    ServiceAccountsPages,
    ScimTokensPages,
    WebhooksPages,
    ChatPages,
    CalendarPages,
    NotificationSettingsPages,
    DiscoveryPages,
  ],
  providers: [ViewRenderer, PageContext, WebGuard, Lookups, FlashMessages, SubmitOnceInterceptor, NewTokenReveal, ImportPresetChoices],
  exports: [ViewRenderer, PageContext, WebGuard, Lookups, FlashMessages],
})
export class WebModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly views: ViewRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter.getInstance<{ locals: Record<string, unknown> }>();
    app.locals.htmlErrorHandler = (body: ErrorBody, req: Request, res: Response): boolean => {
      if (body.statusCode === 401) {
        const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
        res.redirect(303, `/login${next}`);
        return true;
      }
      const headings: Record<number, string> = {
        403: 'Not allowed',
        404: 'Not found',
        409: 'Changed meanwhile',
        413: 'Too large',
        422: 'Cannot do that',
        429: 'Slow down',
        503: 'Temporarily unavailable',
      };
      const user = (req as Request & { user?: { displayName: string } }).user;
      const html = this.views.render('error', {
        title: reasonPhrase(body.statusCode),
        status: body.statusCode,
        heading: headings[body.statusCode] ?? reasonPhrase(body.statusCode),
        message:
          body.statusCode >= 500 && body.statusCode !== 503
            ? 'Something went wrong on our side. Try again; if it keeps happening, give your administrator the reference below.'
            : body.message,
        requestId: body.requestId,
        user,
        nav: [],
        csrfToken: res.locals?.csrfToken,
      });
      res.status(body.statusCode).type('html').send(html);
      return true;
    };
    void this.config;
  }
}
