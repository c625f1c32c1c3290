// Interop: a full Eventpop login through Express 4 and Express 5 with express-session, over real sockets.
import express from 'express';
import { type ExpressModule, expressApp } from './express/app';
import { describeLogin } from './harness';

// Express 4 is installed under the alias `express4` (npm:express@4); it has no typings of its own.
const express4 = require('express4') as ExpressModule;

describeLogin('Express 4', expressApp(express4));
describeLogin('Express 5', expressApp(express));
