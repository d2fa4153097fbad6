/** Base of every error the core raises. */
export class SpendAlertsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A message resembles a known format but cannot be read as one; normalize turns it into `unrecognized`. */
export class NormalizeError extends SpendAlertsError {
  constructor(
    message: string,
    readonly resembles: 'budget' | 'budget-adjustment' | 'alarm' | 'anomaly',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Input that is not any envelope or message at all (not text, not JSON). */
export class EnvelopeError extends SpendAlertsError {}
