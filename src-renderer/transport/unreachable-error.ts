/** The console could not reach the core at all (stopped, restarting, or the network is down). */
export class UnreachableError extends Error {
  constructor(message = 'switchyard is not answering') {
    super(message);
    this.name = 'UnreachableError';
  }
}
