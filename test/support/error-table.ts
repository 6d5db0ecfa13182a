import { DomainError, ErrorStatus, toErrorBody } from '@stackgate/platform';

/**
 * For a lib's error table: every code, thrown as the lib's error type, is answered by the global
 * filter with the table's status, the code, the message and the details.
 */
export function itAnswersEveryCode<C extends string>(
  statuses: Readonly<Record<C, ErrorStatus>>,
  make: (code: C, message: string, details: unknown) => DomainError<C>,
): void {
  it.each(Object.keys(statuses) as C[])('%s is answered by the filter with its status, code, message and details', (code) => {
    const err = make(code, 'Why it was refused', { field: 'x' });
    expect(err).toBeInstanceOf(DomainError);
    expect(err.status).toBe(statuses[code]);
    const { body } = toErrorBody(err, 'req-1');
    expect(body).toEqual({
      statusCode: statuses[code],
      error: expect.any(String),
      message: 'Why it was refused',
      code,
      details: { field: 'x' },
      requestId: 'req-1',
    });
    expect(body.error).not.toBe('Error');
  });
}
