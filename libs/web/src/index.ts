export * from './web.module';
export * from './view-renderer';
export * from './page-context';
export * from './web.guard';
export * from './forms';
export * from './pages/home.pages';
export * from './session/session';
export * from './web.errors';
