// Public exports of passport-eventpop; nothing is defined here.
export {
  AuthorizationError,
  EventpopAPIError,
  type EventpopAPIErrorCode,
  type EventpopAPIErrorDetails,
  InternalOAuthError,
  TokenError,
  type TransportFailureCause,
} from './errors';
export {
  type EventpopToken,
  fetchProfile,
  fetchTicketPage,
  getApplicationToken,
  listTickets,
  refreshAccessToken,
  revokeToken,
} from './helpers';
export {
  type ApplicationTokenOptions,
  DEFAULT_BASE_URL,
  type EventpopClientOptions,
  type EventpopStrategyOptions,
  type EventpopStrategyOptionsBase,
  type EventpopStrategyOptionsWithRequest,
  type EventpopTicketOrderBy,
  type EventpopTicketPageQuery,
  type EventpopTicketQuery,
  type EventpopTicketsOption,
  type SkipUserProfileOption,
} from './options';
export {
  type EventpopMeResponse,
  type EventpopProfile,
  type EventpopProfileWithTickets,
  type EventpopUser,
  parseProfile,
} from './profile';
export {
  type EventpopVerifyCallback,
  type EventpopVerifyFunction,
  type EventpopVerifyFunctionWithParams,
  type EventpopVerifyFunctionWithRequest,
  type EventpopVerifyFunctionWithRequestAndParams,
  Strategy,
  Strategy as EventpopStrategy,
} from './strategy';
export type {
  EventpopTicket,
  EventpopTicketJSON,
  EventpopTicketsResponse,
  EventpopTicketType,
} from './ticket';
export type { EventpopTicketPage } from './tickets';
export type { EventpopTokenParams } from './token';
