/** A cell string (arch string, op code or an LLM answer) that is not a member of the NB201 space. */
export class CellParseError extends Error {
  override readonly name = 'CellParseError';
}

/** The NB201 table file is missing, malformed or inconsistent; the message names the file and line. */
export class Nb201TableError extends Error {
  override readonly name = 'Nb201TableError';
}
