// The request and response objects node:http makes for an Express app, born with the prototypes Express
// gives them. Express sets those prototypes on every request it handles (Object.setPrototypeOf on the
// request and on the response), after node has built both objects: each then takes a shape of its own,
// which measured a quarter of all a gateway request allocates. An object that already has the prototype
// makes that call a no-op, and everything Express adds is there as before.

import { IncomingMessage, ServerResponse, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';

export type HttpClasses = Required<Pick<ServerOptions, 'IncomingMessage' | 'ServerResponse'>>;

/** The classes for `createServer(options)` in front of `app`. */
export function expressHttpClasses(app: Express): HttpClasses {
  // Plain constructor functions, as node's own are: an ES class could not take `app.request` itself
  // as the prototype of what it makes.
  function ExpressRequest(this: IncomingMessage, socket: Socket): void {
    IncomingMessage.call(this, socket);
  }
  ExpressRequest.prototype = app.request;
  function ExpressResponse(this: ServerResponse, req: IncomingMessage, options?: unknown): void {
    (ServerResponse as unknown as (this: ServerResponse, req: IncomingMessage, options?: unknown) => void).call(this, req, options);
  }
  ExpressResponse.prototype = app.response;
  return {
    IncomingMessage: ExpressRequest as unknown as typeof IncomingMessage,
    ServerResponse: ExpressResponse as unknown as typeof ServerResponse,
  };
}
