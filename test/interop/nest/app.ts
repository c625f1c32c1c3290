// The NestJS 12 interop app: @nestjs/passport strategies (4-argument validate, and 5 with callbackArity), a session guard, filters.
import 'reflect-metadata';
import {
  type ArgumentsHost,
  Catch,
  Controller,
  type DynamicModule,
  type ExceptionFilter,
  type ExecutionContext,
  Get,
  Inject,
  Injectable,
  Module,
  mixin,
  Redirect,
  Req,
  UnauthorizedException,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportSerializer, PassportStrategy } from '@nestjs/passport';
import { ExpressAdapter } from '@nestjs/platform-express';
import express, { type Request, type Response } from 'express';
import session from 'express-session';
import passport from 'passport';
import {
  type EventpopProfile,
  Strategy as EventpopStrategy,
  type EventpopStrategyOptions,
  type EventpopTokenParams,
} from '../../../lib';
import {
  EVENTPOP_FAILURES,
  loginErrorBody,
  SESSION_SECRET,
  type SessionUser,
  type StartApp,
  toSessionUser,
} from '../app-kit';

// This file needs experimentalDecorators (see tsconfig.json beside it). It does not rely on
// emitDecoratorMetadata (tsx/esbuild does not emit it): constructor dependencies use @Inject.

/** Injection token of the strategy options (an application would build them from its ConfigService). */
export const EVENTPOP_OPTIONS = Symbol('EVENTPOP_OPTIONS');

/** The strategy `'eventpop'`: validate gets the typed profile. */
@Injectable()
export class EventpopAuthStrategy extends PassportStrategy(EventpopStrategy, 'eventpop') {
  constructor(@Inject(EVENTPOP_OPTIONS) options: EventpopStrategyOptions) {
    super(options);
  }

  validate(_accessToken: string, _refreshToken: string, profile: EventpopProfile): SessionUser {
    return toSessionUser(profile);
  }
}

/** What the `'eventpop-params'` strategy keeps: the user and the access token's lifetime. */
export interface SessionUserWithExpiry extends SessionUser {
  expiresIn: number | null;
}

/**
 * The strategy `'eventpop-params'`: validate also gets the token response (`expires_in`, ...).
 * `PassportStrategy` wraps validate in `async (...params)`, whose length is 0, so passport-oauth2
 * would pick its 4-argument form; `callbackArity: true` gives the wrapper validate's length + 1.
 */
@Injectable()
export class EventpopParamsStrategy extends PassportStrategy(EventpopStrategy, 'eventpop-params', true) {
  constructor(@Inject(EVENTPOP_OPTIONS) options: EventpopStrategyOptions) {
    super({ ...options, callbackURL: '/auth/eventpop-params/callback' });
  }

  validate(
    _accessToken: string,
    _refreshToken: string,
    params: EventpopTokenParams,
    profile: EventpopProfile,
  ): SessionUserWithExpiry {
    return { ...toSessionUser(profile), expiresIn: params.expires_in ?? null };
  }
}

/** Keeps the whole (small) user in the session. */
@Injectable()
export class SessionSerializer extends PassportSerializer {
  serializeUser(user: SessionUser, done: (err: unknown, user: SessionUser) => void): void {
    done(null, user);
  }

  deserializeUser(user: SessionUser, done: (err: unknown, user: SessionUser) => void): void {
    done(null, user);
  }
}

/**
 * AuthGuard(name) that also stores the user in the session: AuthGuard calls passport with a
 * custom callback, so passport itself never calls `req.logIn()`.
 */
function SessionAuthGuard(strategy: string) {
  @Injectable()
  class Guard extends AuthGuard(strategy) {
    override async canActivate(context: ExecutionContext): Promise<boolean> {
      const activated = (await super.canActivate(context)) as boolean;
      await super.logIn(context.switchToHttp().getRequest());
      return activated;
    }
  }
  return mixin(Guard);
}

/** A refused login (the user denied consent, or state did not match) ends at /login. */
@Catch(UnauthorizedException)
export class LoginFailedFilter implements ExceptionFilter {
  catch(_err: UnauthorizedException, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().redirect('/login');
  }
}

/** Eventpop's failures (an error sent back, token refused, timeout, profile errors) answer 502. */
@Catch(...EVENTPOP_FAILURES)
export class EventpopErrorFilter implements ExceptionFilter {
  catch(err: Error, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(502).json(loginErrorBody(err));
  }
}

@Controller()
@UseFilters(EventpopErrorFilter)
class AuthController {
  @Get('auth/eventpop')
  @UseGuards(SessionAuthGuard('eventpop'))
  login(): void {}

  @Get('auth/eventpop/callback')
  @UseGuards(SessionAuthGuard('eventpop'))
  @UseFilters(LoginFailedFilter)
  @Redirect('/')
  callback(): void {}

  @Get('auth/eventpop-params')
  @UseGuards(SessionAuthGuard('eventpop-params'))
  loginWithParams(): void {}

  @Get('auth/eventpop-params/callback')
  @UseGuards(SessionAuthGuard('eventpop-params'))
  @UseFilters(LoginFailedFilter)
  @Redirect('/')
  callbackWithParams(): void {}

  @Get('me')
  me(@Req() req: Request): Express.User {
    if (!req.user) throw new UnauthorizedException();
    return req.user;
  }
}

/** The module: strategies, serializer and routes, configured with the strategy options. */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: Nest's dynamic modules are classes with a static forRoot().
export class EventpopAuthModule {
  static forRoot(options: EventpopStrategyOptions): DynamicModule {
    return {
      module: EventpopAuthModule,
      imports: [PassportModule.register({ session: true })],
      controllers: [AuthController],
      providers: [
        { provide: EVENTPOP_OPTIONS, useValue: options },
        EventpopAuthStrategy,
        EventpopParamsStrategy,
        SessionSerializer,
      ],
    };
  }
}

/** Starts the Nest app on the given (already listening) server, through an Express adapter. */
export const nestApp: StartApp = async (server, options) => {
  const instance = express();
  const app = await NestFactory.create(
    EventpopAuthModule.forRoot(options.strategy),
    new ExpressAdapter(instance),
    {
      logger: false,
    },
  );
  app.use(session({ secret: SESSION_SECRET, resave: false, saveUninitialized: false }));
  app.use(passport.session());
  await app.init();
  server.on('request', instance);
  return {
    async close() {
      server.off('request', instance);
      await app.close();
    },
  };
};
