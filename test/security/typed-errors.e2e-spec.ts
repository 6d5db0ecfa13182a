import { CATALOG_ERROR_STATUS, CatalogErrorCode } from '@stackgate/catalog';
import { FINANCE_ERROR_STATUS, FinanceErrorCode } from '@stackgate/finance';
import { IDENTITY_ERROR_STATUS, IdentityErrorCode } from '@stackgate/identity';
import { INTEGRATIONS_ERROR_STATUS, IntegrationsErrorCode } from '@stackgate/integrations';
import { PLATFORM_ERROR_STATUS, PlatformErrorCode } from '@stackgate/platform';
import { makeCostCenter, makeTool } from '../support/catalog-factories';
import { makeCast, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * Issue 22 §4: each lib throws its own typed error whose HTTP status comes from the lib's code map.
 * The error JSON a client sees must stay exactly what it was (status, reason phrase, code, message,
 * details), for a refusal of every lib, through the one global filter. Black-box, both engines.
 */

type Cast = Awaited<ReturnType<typeof makeCast>>;

describe('Typed errors: the error JSON of each lib is unchanged (issue 22 §4)', () => {
  let testApp: TestApp;
  let cast: Cast;
  let cc: { id: string };

  jest.setTimeout(120_000);

  beforeAll(async () => {
    testApp = await startTestApp({ BASE_CURRENCY: 'EUR' });
    cast = await makeCast(testApp);
    cc = await makeCostCenter(testApp, cast.admin);
  });
  afterAll(async () => testApp?.close());

  const api = (u: TestUser) => ({
    get: (p: string) => testApp.http().get(`/api/v1${p}`).set(u.auth),
    post: (p: string, b: object) => testApp.http().post(`/api/v1${p}`).set(u.auth).send(b),
    patch: (p: string, b: object) => testApp.http().patch(`/api/v1${p}`).set(u.auth).send(b),
  });
  /** The error JSON, with the request id checked and left out. */
  const errorOf = (res: { status: number; body: Record<string, unknown> }): Record<string, unknown> => {
    const { requestId, ...rest } = res.body;
    expect(typeof requestId).toBe('string');
    return { httpStatus: res.status, ...rest };
  };

  it('platform: an unknown sort field is 400 INVALID_SORT; a missing record is 404 NOT_FOUND', async () => {
    const sort = errorOf(await api(cast.cmo).get('/tools?sort=bogus'));
    expect(sort).toMatchObject({ httpStatus: 400, statusCode: 400, error: 'Bad Request', code: 'INVALID_SORT' });
    expect(String(sort.message)).toMatch(/^sort must be one of: /);
    expect(PLATFORM_ERROR_STATUS[PlatformErrorCode.INVALID_SORT]).toBe(400);
    expect(errorOf(await api(cast.cmo).get('/tools/0190a5a0-0000-7000-8000-00000000dead'))).toEqual({
      httpStatus: 404,
      statusCode: 404,
      error: 'Not Found',
      code: 'NOT_FOUND',
      message: expect.stringMatching(/not found$/),
    });
  });

  it("identity: no token is 401 UNAUTHENTICATED, a wrong password 401 INVALID_CREDENTIALS, changing one's own roles 403 OWN_ROLES", async () => {
    expect(errorOf(await testApp.http().get('/api/v1/tools'))).toEqual({
      httpStatus: 401,
      statusCode: 401,
      error: 'Unauthorized',
      code: 'UNAUTHENTICATED',
      message: 'Sign in first: the token is missing, invalid, expired or revoked',
    });
    expect(
      errorOf(await testApp.http().post('/api/v1/auth/login').send({ email: cast.cmo.email, password: 'not-the-password-1' })),
    ).toEqual({
      httpStatus: 401,
      statusCode: 401,
      error: 'Unauthorized',
      code: 'INVALID_CREDENTIALS',
      message: 'E-mail or password is wrong, or the account is inactive',
    });
    expect(errorOf(await api(cast.admin).patch(`/users/${cast.admin.id}`, { roles: ['ADMIN', 'CMO'] }))).toEqual({
      httpStatus: 403,
      statusCode: 403,
      error: 'Forbidden',
      code: 'OWN_ROLES',
      message: 'You cannot change your own roles',
    });
    expect(IDENTITY_ERROR_STATUS[IdentityErrorCode.OWN_ROLES]).toBe(403);
  });

  it('catalog: a file of an unknown type is 415 UNSUPPORTED_FILE_TYPE; a marketer setting technical fields is 403 TECHNICAL_FIELDS_FORBIDDEN', async () => {
    const upload = await testApp
      .http()
      .post('/api/v1/imports')
      .set(cast.it.auth)
      .field('kind', 'tools')
      .attach('file', Buffer.from('hello'), 'notes.txt');
    expect(errorOf(upload)).toEqual({
      httpStatus: 415,
      statusCode: 415,
      error: 'Unsupported Media Type',
      code: 'UNSUPPORTED_FILE_TYPE',
      message: 'Upload a .csv (text/csv) or .xlsx file',
    });
    const tool = await makeTool(testApp, cast.marketer, { budgetOwnerId: cc.id });
    const res = await api(cast.marketer).patch(`/tools/${tool.id}`, { ssoEnabled: true, version: 1 });
    expect(errorOf(res)).toEqual({
      httpStatus: 403,
      statusCode: 403,
      error: 'Forbidden',
      code: 'TECHNICAL_FIELDS_FORBIDDEN',
      message: 'Only IT, CIO or ADMIN may set ssoEnabled',
    });
    expect(CATALOG_ERROR_STATUS[CatalogErrorCode.UNSUPPORTED_FILE_TYPE]).toBe(415);
  });

  it('finance: a rate for the base currency is 422 BASE_CURRENCY_RATE', async () => {
    expect(errorOf(await api(cast.finance).post('/fx-rates', { currency: 'EUR', month: '2026-01', rate: '1.0000' }))).toEqual({
      httpStatus: 422,
      statusCode: 422,
      error: 'Unprocessable Entity',
      code: 'BASE_CURRENCY_RATE',
      message: 'EUR is the base currency and needs no rate',
    });
    expect(FINANCE_ERROR_STATUS[FinanceErrorCode.BASE_CURRENCY_RATE]).toBe(422);
  });

  it('integrations: a flow from a tool to itself is 422 SAME_TOOL with the field in details', async () => {
    const tool = await makeTool(testApp, cast.it, { budgetOwnerId: cc.id });
    const res = await api(cast.it).post('/integrations', {
      sourceToolId: tool.id,
      targetToolId: tool.id,
      dataObjects: ['contacts'],
      method: 'API',
      frequency: 'DAILY',
    });
    expect(errorOf(res)).toEqual({
      httpStatus: 422,
      statusCode: 422,
      error: 'Unprocessable Entity',
      code: 'SAME_TOOL',
      message: 'An integration connects two different tools: sourceToolId equals targetToolId',
      details: { field: 'targetToolId' },
    });
    expect(INTEGRATIONS_ERROR_STATUS[IntegrationsErrorCode.SAME_TOOL]).toBe(422);
  });

  it('reporting: a range that ends before it starts is 400 INVALID_RANGE; one over ten years is 400 RANGE_TOO_LONG', async () => {
    expect(errorOf(await api(cast.finance).get('/reports/spend?from=2026-06&to=2026-01'))).toEqual({
      httpStatus: 400,
      statusCode: 400,
      error: 'Bad Request',
      code: 'INVALID_RANGE',
      message: 'from must not be after to',
    });
    expect(errorOf(await api(cast.finance).get('/reports/spend?from=2000-01&to=2026-01'))).toEqual({
      httpStatus: 400,
      statusCode: 400,
      error: 'Bad Request',
      code: 'RANGE_TOO_LONG',
      message: 'A report covers at most 10 years (120 months)',
    });
  });
});
