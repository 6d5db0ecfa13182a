import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { NotificationsService } from '@stackgate/notifications';
import { AuthUser, hasRole, Role } from '@stackgate/platform';
import { FlashMessages } from './session/flash';
import { newFormKey } from './session/submit-once';

export interface NavItem {
  href: string;
  label: string;
  active: boolean;
}

/**
 * What every page's layout needs: who is signed in, what they may open, the CSRF token, and the
 * one-time message the previous action left (FlashMessages; a page's own `notice`/`error` wins), and
 * a one-time key for the page's create form (SubmitOnce).
 */
@Injectable()
export class PageContext {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly flash: FlashMessages,
  ) {}

  async build(user: AuthUser | undefined, res: Response, title: string, section: string, extra: Record<string, unknown> = {}) {
    const can = user
      ? {
          requestTools: hasRole(user, Role.MARKETER, Role.CMO),
          review: hasRole(user, Role.CMO, Role.IT, Role.CIO, Role.FINANCE),
          reports: hasRole(user, Role.CMO, Role.CIO, Role.FINANCE, Role.ADMIN),
          admin: hasRole(user, Role.ADMIN),
          finance: hasRole(user, Role.FINANCE),
          editCatalog: hasRole(user, Role.MARKETER, Role.CMO, Role.IT, Role.CIO, Role.ADMIN),
          import: hasRole(user, Role.MARKETER, Role.CMO, Role.IT, Role.CIO, Role.ADMIN, Role.FINANCE),
          discovery: hasRole(user, Role.IT, Role.CIO, Role.CMO, Role.FINANCE),
        }
      : {};
    const nav: NavItem[] = [];
    if (user) {
      nav.push({ href: '/', label: 'Home', active: section === 'home' });
      nav.push({ href: '/catalog', label: 'Catalog', active: section === 'catalog' });
      nav.push({ href: '/requests', label: 'Requests', active: section === 'requests' });
      if (can.reports) nav.push({ href: '/reports', label: 'Reports', active: section === 'reports' });
      // Finance's workspace (spend, budgets, FX rates): the report readers see it, FINANCE writes in it.
      if (can.reports) nav.push({ href: '/finance/spend', label: 'Finance', active: section === 'finance' });
      if (can.reports) nav.push({ href: '/renewals', label: 'Renewals', active: section === 'renewals' });
      if (can.reports) nav.push({ href: '/contracts', label: 'Contracts', active: section === 'contracts' });
      nav.push({ href: '/stack-map', label: 'Stack map', active: section === 'stack-map' });
      // the discovery queue (tools nobody registered): read by IT, CIO, CMO, finance
      if (can.discovery) nav.push({ href: '/discovery', label: 'Discovery', active: section === 'discovery' });
      if (can.import) nav.push({ href: '/import', label: 'Import', active: section === 'import' });
      if (can.admin) nav.push({ href: '/admin/users', label: 'Admin', active: section === 'admin' });
    }
    // A page rendered for a signed-in user is theirs alone (the auth guard says so too; this covers public pages).
    if (user) res.setHeader('Cache-Control', 'no-store');
    const unread = user ? await this.notifications.unreadCount(user.id) : 0;
    const flash = this.flash.take(res.req, res);
    return {
      title,
      user,
      can,
      nav,
      unread,
      csrfToken: res.locals.csrfToken as string,
      formKey: newFormKey(),
      section,
      ...extra,
      notice: extra.notice ?? flash.notice,
      error: extra.error ?? flash.error,
    };
  }
}
