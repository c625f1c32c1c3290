// Public exports of `passport-eventpop/emulator`, the local Eventpop server for tests and demos.
export type { Endpoint, Fault, FaultAnswer, FaultKind, JsonValue } from './faults';
export { endpoints } from './faults';
export type { EmulatorOptions, EmulatorTLSOptions } from './options';
export { defaultClient, defaultEvents, defaultOrganizers, defaultTickets, defaultUsers } from './seed';
export type { Emulator, RequestLogEntry } from './server';
export { createEmulator } from './server';
export type { EmulatorAvatars, EmulatorClient, EmulatorStats, EmulatorUser, Scope } from './store';
export { knownScopes } from './store';
export type { EmulatorEvent, EmulatorOrganizer, EmulatorTicket } from './tickets';
