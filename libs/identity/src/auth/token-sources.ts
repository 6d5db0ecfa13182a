import { DynamicModule, Module } from '@nestjs/common';
import type { Request } from 'express';

/** One way a request may carry its access token; returns the token or undefined. */
export type TokenSource = (req: Request) => string | undefined;

/** Injection token: the extra token sources the app allows besides the Authorization header. */
export const TOKEN_SOURCES = Symbol('TOKEN_SOURCES');

/** `Authorization: Bearer <token>`: always read first, by every route. */
export const bearerToken: TokenSource = (req) => {
  const header = req.header('authorization');
  const match = header ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header) : null;
  return match?.[1];
};

/**
 * The app's explicit choice of extra token sources (the web UI's session cookie), handed to the
 * global AuthGuard. Configured once where the app is assembled; nothing can add to it later.
 * Without it the guard reads the Authorization header only.
 */
@Module({})
export class TokenSourcesModule {
  static register(sources: readonly TokenSource[]): DynamicModule {
    return {
      module: TokenSourcesModule,
      global: true,
      providers: [{ provide: TOKEN_SOURCES, useValue: Object.freeze([...sources]) }],
      exports: [TOKEN_SOURCES],
    };
  }
}
