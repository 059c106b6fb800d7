/** Per result of a tell: applied, or ignored because the id is unknown or was already told. */
export interface TellReceipt {
  id: string;
  status: 'applied' | 'unknown' | 'already-told';
}

/** A told result was malformed; nothing of the batch was applied. */
export class TellRejectedError extends Error {
  constructor(readonly problems: string[]) {
    super(`tell rejected, nothing applied: ${problems.join('; ')}`);
    this.name = 'TellRejectedError';
  }
}
